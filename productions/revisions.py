"""A revision of a production's records: the newest audit-trail entry of each kind of record, in one query.

Every write to a production's records leaves an entry in its audit trail (django-simple-history): through the
services, the importer and the admin, deletions and changes of linked people and consents included. So the newest
`history_id` of each kind names the state of those records: equal revisions, equal records. The documents key
what they were built from on it (disclosure.documents.building.records_revision), and the kept consent statuses
on the kinds a status reads (productions.kept_statuses).

`sources` maps a name to (model, path from its history entries to the production), or (model, None) for the
shared tool catalogue, where only the tools the production's uses name count, or (model, ANY): every entry counts,
whichever production it concerns (the newest of the whole table, read from its primary key alone).
"""

import re

from django.db.models import OuterRef, Subquery

# A source whose every entry counts, for every production.
ANY = "*"


def _newest(sources):
    from productions.models import AIUse

    newest = {}
    for name, (model, path) in sources.items():
        entries = model.history.model.objects.order_by("-history_id").values("history_id")
        if path is None:
            named = AIUse.objects.filter(production=OuterRef(OuterRef("pk")), tool__isnull=False).values("tool_id")
            entries = entries.filter(id__in=named)
        elif path != ANY:
            entries = entries.filter(**{path: OuterRef("pk")})
        newest[f"newest_{name}"] = Subquery(entries[:1])
    return newest


def spell(sources, values) -> str:
    return ".".join(f"{name}{value or 0}" for name, value in zip(sources, values, strict=True))


def revisions(productions, sources, *also) -> dict:
    """{production id: (revision, *also)} for a queryset of productions, in one query: each production's revision
    of `sources`, followed by the values of the fields `also` names (read in the same query)."""
    newest = _newest(sources)
    rows = productions.order_by().annotate(**newest).values_list("pk", *newest, *also)
    count = len(newest)
    return {pk: (spell(sources, values[:count]), *values[count:]) for pk, *values in rows}


def revision(production_id, sources) -> str:
    """The revision of one production's records of `sources`."""
    from productions.models import Production

    return revisions(Production.objects.filter(pk=production_id), sources)[production_id][0]


def changed_kinds(sources, then, now, kinds=None) -> list[str]:
    """The kinds of record (names of `sources`) whose newest entry differs between two revisions."""
    parse = lambda revision: dict(re.findall(r"([a-z]+)(\d+)", revision))  # noqa: E731
    before, after = parse(then), parse(now)
    return [name for name in sources if (kinds is None or name in kinds) and before.get(name) != after.get(name)]
