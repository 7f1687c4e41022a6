"""The checklist page and the statement preview, built once per records revision, date and language.

Building either document reads every record of the production: seconds at 50,000 uses. The pages keep
what they show in Django's cache under the document's request key (`building.request_key`: kind, language,
assessment date, template version and records revision), so a second view of unchanged records reuses it,
and any write to a record the document reads (an attestation or its withdrawal included) changes the
revision, hence the key: the next view builds anew.

A page shows each long list of its document shortened (its first entries and its length) and links to a
paginated list of all of it. So a document is kept as a small summary, which is all the page reads, and
its lists in chunks of CHUNK entries under keys of their own, of which a list page reads only those its
page covers: at 50,000 uses the whole statement is some 15 MB, far too much to read over the network on
every view. Entries are plain data, never model instances: the checklist's `as_data()`, and the statement's
own frozen dataclasses of codes and recorded text, its uses kept as rows of field values.

The revision is read before the document is built: a write in between leaves newer data under the older
key, which no later view asks for, and never older data under the newer one. A summary or chunk evicted
before the others is built again with all of them.
"""

import dataclasses
import operator
from collections import namedtuple
from collections.abc import Callable, Sequence

from django.core.cache import cache
from django.utils.translation import get_language

from disclosure.checklist import assess
from disclosure.documents import building
from disclosure.models import DocumentKind
from disclosure.statement import AudienceDisclosure, Authorship, PhaseGroup, Statement, Use, build_statement

# Entries of a revision nobody asks for any more expire after a day.
TIMEOUT = 24 * 60 * 60

# The entries a page shows of each list, and how many entries of a list one cache entry holds.
SHOWN = 10
CHUNK = 100


class Shortened(Sequence):
    """The first entries of a list, with the length of the whole list: what a page shows of it.

    `len()` (and the templates' `|length`, and truth) is the whole list's; indexing, slicing and iterating
    reach only the first entries.
    """

    __slots__ = ("first", "total")

    def __init__(self, entries):
        self.first = tuple(entries[:SHOWN])
        self.total = len(entries)

    def __len__(self):
        return self.total

    def __getitem__(self, index):
        return self.first[index]

    def __iter__(self):
        return iter(self.first)

    def __eq__(self, other):
        return isinstance(other, Shortened) and (self.first, self.total) == (other.first, other.total)

    __hash__ = None


@dataclasses.dataclass(frozen=True)
class _Page:
    """A page's document in the cache: its summary and each chunk of its lists under keys made from `key`.

    `build` returns the summary and the lists ({name: tuple of entries}).
    """

    key: str
    build: Callable

    def summary(self):
        summary = cache.get(f"{self.key}:summary")
        if summary is None:
            summary, _lists = self._store()
        return summary

    def entries(self, name, start, stop):
        """Entries `start` to `stop` of the list `name`, reading only the chunks they are in."""
        if start >= stop:
            return ()
        first, last = start // CHUNK, (stop - 1) // CHUNK
        keys = [self._chunk_key(name, number) for number in range(first, last + 1)]
        chunks = cache.get_many(keys)
        if len(chunks) < len(keys):
            _summary, lists = self._store()
            return lists[name][start:stop]
        entries = [entry for key in keys for entry in chunks[key]]
        return entries[start - first * CHUNK : stop - first * CHUNK]

    def _chunk_key(self, name, number):
        return f"{self.key}:{name}:{number}"

    def _store(self):
        summary, lists = self.build()
        values = {
            self._chunk_key(name, start // CHUNK): entries[start : start + CHUNK]
            for name, entries in lists.items()
            for start in range(0, len(entries), CHUNK)
        }
        cache.set_many({**values, f"{self.key}:summary": summary}, TIMEOUT)
        return summary, lists


class PageList:
    """One list of a page's document as a Paginator takes it: its length known, its entries read a slice (a
    page) at a time."""

    def __init__(self, page, name, count):
        self.page, self.name, self.count = page, name, count

    def __len__(self):
        return self.count

    def __getitem__(self, index):
        start, stop, _step = index.indices(self.count)
        return self.page.entries(self.name, start, stop)


def _page(production, kind, language, on, build):
    return _Page("disclosure-page:" + building.request_key(production.pk, kind, language, on), build)


# The checklist: as_data(), each item's records shortened to the first; the list of an item's records is
# named after the item.


def _checklist_parts(production, on):
    data = assess(production, on=on).as_data()
    items = [
        {**item, "records": item["records"][:SHOWN], "record_count": len(item["records"])} for item in data["items"]
    ]
    return {**data, "items": items}, {item["id"]: tuple(item["records"]) for item in data["items"]}


def _checklist_page(production, on):
    """Its explanations are text: one in each language."""
    return _page(production, DocumentKind.CHECKLIST, get_language(), on, lambda: _checklist_parts(production, on))


def checklist_summary(production, on) -> dict:
    """`as_data()` of the production's checklist on `on` in the active language, each item's records cut to
    its first SHOWN, beside their number (`record_count`)."""
    return _checklist_page(production, on).summary()


def checklist_records(production, on, item_id):
    """The item `item_id` of `checklist_summary`, and all its records to paginate; None if it has no such item."""
    page = _checklist_page(production, on)
    item = next((item for item in page.summary()["items"] if item["id"] == item_id), None)
    return None if item is None else (item, PageList(page, item_id, item["record_count"]))


# The statement


_USE_FIELDS = tuple(field.name for field in dataclasses.fields(Use))

# A use of the statement as a row: its fields in Use's order, with Use's labels. Thousands of these pickle
# and unpickle in a fraction of the time dataclass instances take.
UseRow = type(
    "UseRow",
    (namedtuple("UseRow", _USE_FIELDS),),
    {"__slots__": (), **{name: value for name, value in vars(Use).items() if isinstance(value, property)}},
)


def _figure(name):
    return property(lambda self: self.figures[name], doc=f"{name}, counted over the whole lists.")


@dataclasses.dataclass(frozen=True)
class ShortenedAuthorship(Authorship):
    """The authorship, its lists Shortened: the figures counted over whole lists were counted when it was built."""

    figures: dict

    every_exception_consented = _figure("every_exception_consented")
    exceptions_without_valid_consent = _figure("exceptions_without_valid_consent")


@dataclasses.dataclass(frozen=True)
class StatementSummary(Statement):
    """The statement as its preview shows it: its lists Shortened, and the figures its summary counts over
    whole lists counted when it was built. Those that Statement derives from lengths alone (the number of
    final uses, of temporary uses) it keeps deriving."""

    figures: dict

    deep_fake_count = _figure("deep_fake_count")
    deep_fake_undetermined_count = _figure("deep_fake_undetermined_count")
    undisclosed_deep_fake_count = _figure("undisclosed_deep_fake_count")
    performer_people_count = _figure("performer_people_count")
    performer_works_consented = _figure("performer_works_consented")
    performer_works_consent_not_needed = _figure("performer_works_consent_not_needed")


def _summarised(value, summary_class, **shortened):
    """`value` as an instance of `summary_class`: some fields `shortened`, its overridden figures counted now."""
    fields = {field.name: getattr(value, field.name) for field in dataclasses.fields(value)}
    figures = {name: getattr(value, name) for name, kept in vars(summary_class).items() if isinstance(kept, property)}
    return summary_class(**{**fields, **shortened}, figures=figures)


def _statement_parts(statement):
    """The statement's summary, and its lists by the names `statement_list` reads them by."""
    fields_of = operator.attrgetter(*_USE_FIELDS)
    uses = {group.phase: tuple(UseRow._make(fields_of(use)) for use in group.uses) for group in statement.phases}
    authorship = statement.authorship
    summary = _summarised(
        statement,
        StatementSummary,
        authorship=_summarised(
            authorship,
            ShortenedAuthorship,
            exceptions=Shortened(authorship.exceptions),
            screenplay_ai_text=Shortened(authorship.screenplay_ai_text),
        ),
        phases=tuple(PhaseGroup(phase, Shortened(rows)) for phase, rows in uses.items()),
        performers=Shortened(statement.performers),
        audience=tuple(AudienceDisclosure(entry.method, Shortened(entry.uses)) for entry in statement.audience),
        tools=Shortened(statement.tools),
    )
    lists = {
        **{f"uses:{phase}": rows for phase, rows in uses.items()},
        **{f"audience:{entry.method}": tuple(entry.use_titles) for entry in statement.audience},
        "exceptions": authorship.exceptions,
        "screenplay-text": tuple(authorship.screenplay_ai_text_titles),
        "performers": statement.performers,
        "tools": statement.tools,
    }
    return summary, lists


def _statement_page(production, on):
    """The statement keeps codes and translates its labels when rendered: one entry serves every language."""
    return _page(
        production, DocumentKind.STATEMENT, "any", on, lambda: _statement_parts(build_statement(production, on=on))
    )


def statement_summary(production, on) -> StatementSummary:
    """The production's statement as of `on`, as its preview shows it."""
    return _statement_page(production, on).summary()


def statement_list(production, on, part, of=""):
    """One list of the statement's annex, to paginate (its uses as UseRow, its audience and screenplay text as
    titles), and the label of the phase or disclosure method it is `of`; None if the statement has no such list.

    `part` is uses (`of` a phase), audience (`of` a disclosure method), exceptions, screenplay-text, performers
    or tools."""
    page = _statement_page(production, on)
    summary = page.summary()
    if part == "uses":
        found = next(((group.uses, group.label) for group in summary.phases if group.phase == of), None)
    elif part == "audience":
        found = next(((entry.uses, entry.label) for entry in summary.audience if entry.method == of), None)
    else:
        of = ""
        found = {
            "exceptions": (summary.authorship.exceptions, None),
            "screenplay-text": (summary.authorship.screenplay_ai_text, None),
            "performers": (summary.performers, None),
            "tools": (summary.tools, None),
        }.get(part)
    if found is None:
        return None
    shortened, label = found
    return PageList(page, f"{part}:{of}" if of else part, len(shortened)), label
