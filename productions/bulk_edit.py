"""Bulk edits of AI uses: what may change on many uses at once, and what a change would do, before it is made.

`plan_bulk_edit` reads and validates; it writes nothing. The preview shows its plan, and
`services.bulk_update_ai_uses` makes the same plan again on the locked rows and writes it.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from productions.models import AITool, AIUse, Consent, Person

# The fields a bulk edit sets to one value on every use.
FIELDS = (
    "tool",
    "phase",
    "department",
    "output_type",
    "digital_source_type",
    "disclosure_method",
    "is_final",
    "deep_fake",
)
# The links a bulk edit adds or removes: change -> (relation, whether it adds).
LINK_CHANGES = {
    "add_people": ("people", True),
    "remove_people": ("people", False),
    "add_consents": ("consents", True),
    "remove_consents": ("consents", False),
}
CHANGE_LABELS = {
    "tool": gettext_lazy("Tool"),
    "phase": gettext_lazy("Phase"),
    "department": gettext_lazy("Department"),
    "output_type": gettext_lazy("Output type"),
    "digital_source_type": capfirst(gettext_lazy("IPTC digital source type")),  # the model's name, in lower case
    "disclosure_method": gettext_lazy("Disclosure method"),
    "is_final": gettext_lazy("Final or temporary"),
    "deep_fake": gettext_lazy("Deep fake"),
    "add_people": gettext_lazy("Add a person depicted"),
    "remove_people": gettext_lazy("Remove a person depicted"),
    "add_consents": gettext_lazy("Add a consent relied on"),
    "remove_consents": gettext_lazy("Remove a consent relied on"),
}
RELATION_LABELS = {"people": gettext_lazy("People depicted"), "consents": gettext_lazy("Consents relied on")}
# The audit reason of a bulk edit, followed by the changes' names: "bulk edit: phase" (productions.views.history).
REASON_PREFIX = "bulk edit: "
# Rows written per statement: the number of queries grows by one batch per this many uses, not per use.
BATCH_SIZE = 500
# Foreign keys are checked once for the whole edit (a query each per use otherwise); the tracker id, the
# only unique field, is not bulk-editable, and clean() holds the check constraints the change can break.
_NOT_CLEANED_PER_USE = ("production", "tool")


@dataclass
class UseChange:
    """One use the edit changes: its values before (fields, and link ids by relation); the new ones are set on it."""

    ai_use: AIUse
    before: dict
    links_after: dict


@dataclass
class BulkEditPlan:
    changes: dict
    selected: int = 0
    changing: list[UseChange] = field(default_factory=list)
    unchanged: int = 0
    refused: list[tuple[AIUse, str]] = field(default_factory=list)
    # {use id: version} of every selected use, as read: applying a preview checks nothing moved since.
    versions: dict[int, int] = field(default_factory=dict)

    @property
    def reason(self):
        return REASON_PREFIX + ", ".join(self.changes)

    @property
    def fields(self):
        return [name for name in self.changes if name in FIELDS]

    def link_writes(self):
        """{relation: (links to add as (use id, target id), target ids to unlink)} over the changing uses."""
        writes = {}
        for change in self.changing:
            for relation, after in change.links_after.items():
                added, removed = writes.setdefault(relation, (set(), set()))
                before = change.before[relation]
                added.update((change.ai_use.pk, target_id) for target_id in after - before)
                removed.update(before - after)
        return writes


def change_label(name):
    return str(CHANGE_LABELS[name])


def _relations(changes):
    return {LINK_CHANGES[name][0] for name in changes if name in LINK_CHANGES}


def check_changes(production, changes):
    """Refuse, for the whole edit, a change no use could take: an unknown value, another production's records."""
    unknown = set(changes) - set(FIELDS) - set(LINK_CHANGES)
    if unknown:
        raise TypeError(f"A bulk edit does not change {sorted(unknown)}")
    if not changes:
        raise ValidationError(_("Choose what to change."))
    errors = {}
    for name, value in changes.items():
        if name == "tool":
            # Another organisation's private tool is not one this production may name.
            if value is not None and (
                not isinstance(value, AITool) or value.organisation_id not in (None, production.organisation_id)
            ):
                errors[name] = _("Name a tool of the shared catalogue or of this production's organisation.")
        elif name in FIELDS:
            try:
                AIUse._meta.get_field(name).validate(value, None)
            except ValidationError as error:
                errors[name] = error.messages
        elif LINK_CHANGES[name][0] == "people":
            if not value or any(not isinstance(p, Person) or p.production_id != production.id for p in value):
                errors[name] = _("Only people of this production can be linked.")
        elif not value or any(not isinstance(c, Consent) or c.person.production_id != production.id for c in value):
            errors[name] = _("Only consents of this production can be relied on.")
    if errors:
        raise ValidationError(errors)


def _selected(ai_uses):
    """The selection as a filter on primary keys: a queryset stays a subquery, whatever its size."""
    if isinstance(ai_uses, QuerySet):
        return ai_uses.order_by().values("pk")
    return [ai_use.pk if isinstance(ai_use, AIUse) else ai_use for ai_use in ai_uses]


def _links(relations, selected):
    """{relation: {use id: set of target ids}} of the selected uses, one query of plain values per relation."""
    links = {}
    for relation in relations:
        through = AIUse._meta.get_field(relation).remote_field.through
        target = AIUse._meta.get_field(relation).m2m_reverse_field_name()
        by_use = links[relation] = {}
        for use_id, target_id in through.objects.filter(aiuse_id__in=selected).values_list("aiuse_id", target):
            by_use.setdefault(use_id, set()).add(target_id)
    return links


def plan_bulk_edit(*, production, ai_uses, changes, lock=False):
    """What `changes` would do to each of `ai_uses` (a queryset, or uses or ids): which uses change and how, which
    already have it, and which would be refused and why. Raises ValidationError for a change no use could take,
    or a use of another production. With `lock`, the uses' rows are claimed until the transaction ends."""
    check_changes(production, changes)
    selected = _selected(ai_uses)
    uses = AIUse.objects.filter(pk__in=selected).select_related("tool").order_by("title_sort", "pk")
    if lock:
        uses = uses.select_for_update(of=("self",))
    uses = list(uses)
    foreign = [ai_use.pk for ai_use in uses if ai_use.production_id != production.id]
    if foreign:
        raise ValidationError(
            _("AI use %(value)s is not part of this production: nothing was changed.") % {"value": foreign[0]}
        )
    relations = _relations(changes)
    links = _links(relations, selected) if relations else {}
    plan = BulkEditPlan(changes=changes, selected=len(uses))
    for ai_use in uses:
        plan.versions[ai_use.pk] = ai_use.version
        change = _change_of(ai_use, changes, links)
        if change is None:
            plan.unchanged += 1
            continue
        for name in plan.fields:
            setattr(ai_use, name, changes[name])
        try:
            ai_use.clean_fields(exclude=_NOT_CLEANED_PER_USE)
            ai_use.clean()
        except ValidationError as error:
            plan.refused.append((ai_use, " ".join(error.messages)))
        else:
            plan.changing.append(change)
    return plan


def _change_of(ai_use, changes, links):
    """The use's UseChange, or None when it already has every value the edit sets."""
    before, after = {}, {}
    for name in changes:
        if name in FIELDS:
            current = ai_use.tool if name == "tool" else getattr(ai_use, name)
            if current != changes[name]:
                before[name] = current
    for relation, by_use in links.items():
        current = by_use.get(ai_use.pk, set())
        linked = set(current)
        for name, targets in changes.items():
            if name in LINK_CHANGES and LINK_CHANGES[name][0] == relation:
                ids = {target.pk for target in targets}
                linked = linked | ids if LINK_CHANGES[name][1] else linked - ids
        if linked != current:
            before[relation], after[relation] = current, linked
    if not before:
        return None
    return UseChange(ai_use, before, after)


def describe(plan, limit):
    """The first `limit` changes as a person reads them: [(use, [(label, before, after)])], "" for no value."""
    sample = plan.changing[:limit]
    names = _target_names(plan, sample)
    rows = []
    for change in sample:
        items = [
            (change_label(name), _shown(name, change.before[name]), _shown(name, plan.changes[name]))
            for name in plan.fields
            if name in change.before
        ]
        items += [
            (
                str(RELATION_LABELS[relation]),
                _names(change.before[relation], names[relation]),
                _names(after, names[relation]),
            )
            for relation, after in change.links_after.items()
        ]
        rows.append((change.ai_use, items))
    return rows


def shown_value(name, value):
    """A change's new value as the preview names it: a label, a tool, or the people or consents."""
    if name in LINK_CHANGES:
        return ", ".join(str(target) for target in value)
    return _shown(name, value)


def _shown(name, value):
    if name == "tool":
        return str(value) if value is not None else _("No tool named")
    if name == "is_final":
        return _("Final") if value else _("Temporary")
    choices = dict(AIUse._meta.get_field(name).flatchoices)
    return str(choices.get(value, value))


def _target_names(plan, sample):
    """{relation: {id: name}} of the people or consents the sample shows, one query per relation."""
    names = {}
    for relation in _relations(plan.changes):
        ids = set()
        for change in sample:
            ids |= change.before.get(relation, set()) | change.links_after.get(relation, set())
        if relation == "people":
            names[relation] = dict(Person.objects.filter(pk__in=ids).values_list("pk", "name"))
        else:
            names[relation] = {c.pk: str(c) for c in Consent.objects.filter(pk__in=ids).select_related("person")}
    return names


def _names(ids, names):
    return ", ".join(sorted(names.get(pk, f"#{pk}") for pk in ids))
