"""The plan of an import: every row checked against the production's uses, and every problem with its place."""

import copy
import operator
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from productions import tracker_ids
from productions.imports.bulk import collector_paused
from productions.imports.reading import unneutralise
from productions.imports.template import JOINED_FIELDS, REQUIRED_FIELDS, TEMPLATE_COLUMNS, field_label
from productions.imports.values import ToolIndex, _parsers
from productions.models import AIUse, ImportBatch
from productions.vocabularies import ImportAction

# Never set from a file, and checked by the plan itself rather than by Model.clean_fields.
_NOT_CLEANED = {"id", "production", "tool", "people", "consents", "created_at", "updated_at"}
_FIELD_NAMES = frozenset(field.name for field in AIUse._meta.fields)


@dataclass
class Problem:
    """Why a file, its mapping or one of its rows cannot be imported; rows are numbered as in the file."""

    message: str
    row: int | None = None
    column: str | None = None
    scope: str = "row"  # file, mapping, fixed, row, or match (the choice of the use a row updates)
    # "choose": not a fault of the file: a row waits for the user to say which of its candidates it updates.
    code: str = ""

    def __str__(self):
        if self.scope == "fixed":
            where = _("Value for every row, %(field)s") % {"field": field_label(self.column)}
        elif self.row and self.column:
            where = _("Row %(row)s, column “%(column)s”") % {"row": self.row, "column": self.column}
        elif self.row:
            where = _("Row %(row)s") % {"row": self.row}
        elif self.column:
            where = _("Column “%(column)s”") % {"column": self.column}
        else:
            return self.message
        return f"{where}: {self.message}"

    def key(self):
        """Where the API's error shape files it: rows.12.Phase, rows.12, mapping.Name, fixed.phase, file."""
        if self.scope == "row":
            return f"rows.{self.row}.{self.column}" if self.column else f"rows.{self.row}"
        if self.scope == "match":
            return f"matches.{self.row}"
        return f"{self.scope}.{self.column}" if self.column else self.scope


Action = ImportAction
# A row's choice that it creates a use although it matches some on title and shots.
NEW = "new"


class MatchedOn(models.TextChoices):
    """How a row found the AI use it updates."""

    ID = "id", gettext_lazy("matched on its Reelproof id")
    TRACKER_ID = "tracker_id", gettext_lazy("matched on its tracker id")
    TITLE_AND_SHOTS = "title_and_shots", gettext_lazy("matched on title and shots")
    CHOICE = "choice", gettext_lazy("as you chose")


@dataclass
class RowPlan:
    number: int
    action: Action = Action.CREATE
    external_id: str = ""
    title: str = ""
    changes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    use: AIUse | None = None
    matched_on: str = ""
    # The tracker id as the file writes it, where the ledger spells the same id otherwise (and keeps its spelling).
    file_external_id: str = ""
    # The uses of the ledger the row matches on title and shots, one of which it may update.
    candidates: list[AIUse] = field(default_factory=list)
    choice: int | str | None = None  # a candidate's id, or NEW
    needs_choice: bool = False

    @property
    def action_label(self):
        return Action(self.action).label

    @property
    def change_labels(self):
        return [field_label(name) for name in self.changes]

    @property
    def ai_use_id(self):
        """The use the row updates (or, once committed, created); None for a use still to create."""
        return self.use.pk if self.use is not None else None

    @property
    def match_note(self):
        """How the row found its use, as the preview says it."""
        if self.file_external_id:
            return _("matches %(ledger)s, written %(file)s in the file") % {
                "ledger": self.external_id,
                "file": self.file_external_id,
            }
        return MatchedOn(self.matched_on).label if self.matched_on else ""


@dataclass
class ImportPlan:
    file_name: str
    rows: list[RowPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    update_fields: set[str] = field(default_factory=set)
    batch: ImportBatch | None = None  # what commit_import recorded of it

    @property
    def is_valid(self):
        return not self.problems

    def count(self, action):
        return sum(1 for row in self.rows if row.action == action)

    @property
    def created(self):
        return self.count(Action.CREATE)

    @property
    def updated(self):
        return self.count(Action.UPDATE)

    @property
    def unchanged(self):
        return self.count(Action.UNCHANGED)

    @property
    def rows_with_errors(self):
        return sum(1 for row in self.rows if any(problem.code != "choose" for problem in row.problems))

    @property
    def to_choose(self):
        return sum(1 for row in self.rows if row.needs_choice)

    @property
    def rows_to_match(self):
        """The rows that match uses on title and shots: what the preview lets the user choose for."""
        return [row for row in self.rows if row.candidates]

    @property
    def problems_to_fix(self):
        """The problems of the file or its mapping, leaving out the rows that wait for a choice."""
        return [problem for problem in self.problems if problem.code != "choose"]

    def api_errors(self):
        errors = defaultdict(list)
        for problem in self.problems:
            errors[problem.key()].append(problem.message)
        return dict(errors)

    def summary(self):
        if not self.is_valid:
            return ngettext(
                "Nothing was imported: %(count)d problem to fix.",
                "Nothing was imported: %(count)d problems to fix.",
                len(self.problems),
            ) % {"count": len(self.problems)}
        return done_message(self.created, self.updated)


def done_message(created, updated):
    return _("%(created)s, %(updated)s.") % {
        "created": ngettext("%(count)d created", "%(count)d created", created) % {"count": created},
        "updated": ngettext("%(count)d updated", "%(count)d updated", updated) % {"count": updated},
    }


class ImportRejected(Exception):
    """The plan made at commit time has problems: nothing was written."""

    def __init__(self, plan):
        super().__init__(plan.summary())
        self.plan = plan


def _columns_of(headers, mapping, problems):
    """{field: [column index, ...]} from {header: field}; problems for unknown headers, fields and clashes."""
    index_of = {header: index for index, header in enumerate(headers)}
    columns = defaultdict(list)
    for header, name in mapping.items():
        if not name:
            continue
        if header not in index_of:
            problems.append(Problem(_("The file has no such column."), column=header, scope="mapping"))
        elif name not in TEMPLATE_COLUMNS:
            problems.append(
                Problem(
                    _("“%(field)s” is not a field an import can set.") % {"field": name}, column=header, scope="mapping"
                )
            )
        else:
            columns[name].append(index_of[header])
    for name, indexes in columns.items():
        indexes.sort()
        if len(indexes) > 1 and name not in JOINED_FIELDS:
            problems.append(
                Problem(
                    _("Columns %(columns)s are all mapped to “%(field)s”; choose one.")
                    % {"columns": ", ".join(f"“{headers[i]}”" for i in indexes), "field": field_label(name)},
                    scope="mapping",
                )
            )
    return dict(columns)


def _fixed_values(fixed, parsers, problems):
    """{field: value} for every row whose cell gives none; values arrive as text, or as JSON booleans and ids."""
    values = {}
    for name, raw in (fixed or {}).items():
        if raw is None or raw == "":
            continue
        if name not in TEMPLATE_COLUMNS:
            message = _("“%(field)s” is not a field an import can set.") % {"field": name}
            problems.append(Problem(message, column=name, scope="fixed"))
            continue
        if name in ("id", "external_id"):
            message = _("Each row needs its own %(field)s; it cannot be one value for every row.")
            problems.append(Problem(message % {"field": field_label(name)}, column=name, scope="fixed"))
            continue
        text = ("yes" if raw else "no") if isinstance(raw, bool) else str(raw).strip()
        try:
            values[name] = parsers[name](text)
        except ValidationError as error:
            problems.append(Problem(" ".join(error.messages), column=name, scope="fixed"))
    return values


def _title_and_shots(title, shots):
    """What rows without a tracker id are matched on: title and shots, ignoring case and spacing."""
    return " ".join(title.casefold().split()), " ".join(shots.casefold().split())


def _existing_uses(production, lock):
    """The production's uses in one query, by id, by tracker key and by title and shots."""
    uses = AIUse.objects.filter(production=production)
    if lock:
        uses = uses.select_for_update()
    by_pk, by_tracker_key, by_title_and_shots = {}, {}, defaultdict(list)
    for use in uses:
        by_pk[use.pk] = use
        if use.tracker_key:
            by_tracker_key[use.tracker_key] = use
        by_title_and_shots[_title_and_shots(use.title, use.shots)].append(use)
    return by_pk, by_tracker_key, by_title_and_shots


# At most this many uses or rows named in one row's message: a file of 50,000 rows with the same title and shots
# would otherwise name 50,000 rows in each of its 50,000 messages.
LISTED = 10


def _listed(names):
    """The first LISTED of `names`, and "…" when there are more."""
    return [*names[:LISTED], "…"] if len(names) > LISTED else names


def _use_names(uses):
    """“#12 Sky (SH0010)”, for messages that ask which use a row means."""
    return "; ".join(_listed([f"#{use.pk} “{use.title}” ({use.external_id or _('no tracker id')})" for use in uses]))


def check_mapping(headers, mapping, fixed=None, production=None):
    """Problems of a mapping and its values for every row, before any row is read; with what the plan needs."""
    problems = []
    parsers = _parsers(ToolIndex(production))
    columns = _columns_of(headers, mapping, problems)
    fixed_values = _fixed_values(fixed, parsers, problems)
    for name in REQUIRED_FIELDS:
        if name not in columns and name not in fixed_values:
            problems.append(
                Problem(
                    _("No column gives the %(field)s: map a column to it, or choose a value for every row.")
                    % {"field": field_label(name)},
                    scope="mapping",
                )
            )
    return problems, columns, fixed_values, parsers


def plan_import(*, production, table, mapping, fixed=None, matches=None, lock=False):
    """What importing `table` would do, row by row, with every problem; writes nothing.

    A row updates the use with its Reelproof id, else the use whose tracker id is the same once compared by
    tracker_ids.MATCHING_RULE, else the one use with its title and shots (for a row whose tracker id is new:
    a use that has none yet). `matches` ({row number: use id or NEW}) settles rows that match several.

    Queries: the tool catalogue and the production's uses, once each, whatever the number of rows.
    """
    with collector_paused():
        return _plan(production, table, mapping, fixed, matches, lock)


def _plan(production, table, mapping, fixed, matches, lock):
    problems, columns, fixed_values, parsers = check_mapping(table.headers, mapping, fixed, production)
    plan = ImportPlan(file_name=table.file_name, problems=problems)
    if problems:
        return plan  # row errors would only repeat the mapping's
    planner = _RowPlanner(production, table, columns, fixed_values, parsers, lock)
    plan.rows, unused_matches = planner.plan_rows(table.rows, dict(matches or {}))
    for row in plan.rows:
        plan.problems.extend(row.problems)
        if row.action == Action.UPDATE:
            plan.update_fields.update(row.changes)
    for number in sorted(unused_matches):
        message = _("The file has no row %(row)s.") % {"row": number}
        plan.problems.append(Problem(message, row=number, scope="match"))
    return plan


def _copy_of(use):
    """A shallow copy of a use, as copy.copy makes it without its round trip through pickling's protocol."""
    duplicate = AIUse.__new__(AIUse)
    duplicate.__dict__ = use.__dict__.copy()
    duplicate._state = copy.copy(use._state)
    duplicate._state.fields_cache = use._state.fields_cache.copy()
    return duplicate


def _checked_value(use, name):
    """(field, value) as remembered once valid; several choices are a list, remembered as a tuple."""
    value = getattr(use, name)
    return name, tuple(value) if isinstance(value, list) else value


@dataclass
class _Pending:
    """A row between the two passes: its values, and the use it names or the uses it may mean."""

    row: RowPlan
    values: dict
    target: AIUse | None
    matched_on: str
    candidates: list[AIUse]


class _RowPlanner:
    """Plans the rows of one file against the production's uses, fetched once.

    Two passes: the first reads every row and the uses rows name by id, so the second knows which uses are
    taken before it matches the other rows on title and shots.
    """

    def __init__(self, production, table, columns, fixed_values, parsers, lock):
        self.fixed_values, self.parsers = fixed_values, parsers
        self.by_pk, self.by_tracker_key, self.by_title_and_shots = _existing_uses(production, lock)
        self.labels = {name: " + ".join(table.headers[i] for i in indexes) for name, indexes in columns.items()}
        self.fixed_label = _("value for every row")
        self.seen_tracker_keys, self.seen_targets = {}, {}
        # Spreadsheets repeat phases, tools and departments: each distinct cell is parsed once per field, and
        # each distinct value checked once per field (field rules look at the value alone). A reader gives a
        # field's cell, or the tuple of its cells for a joined field.
        self.readers = [(name, operator.itemgetter(*indexes), {}) for name, indexes in columns.items()]
        self.fixed_only = {name: value for name, value in fixed_values.items() if name not in columns}
        self.valid_values = set()
        # Copied for each new row: cheaper than building a model instance, with the same defaults.
        self.new_use = AIUse(production=production)

    def problem(self, row, message, name=None):
        column = None
        if name:
            column = self.labels.get(name, self.fixed_label if name in self.fixed_values else field_label(name))
        row.problems.append(Problem(message, row=row.number, column=column))

    def plan_rows(self, rows, matches):
        """Every row planned, and the numbers of `matches` that name no row of the file."""
        pending = [self.read(number, cells) for number, cells in rows]
        taken = {item.target.pk for item in pending if item.target is not None}
        # Rows claiming each use on title and shots: one row alone gets it; several must say which.
        claimants = defaultdict(list)
        for item in pending:
            item.candidates = [use for use in item.candidates if use.pk not in taken]
            choice = matches.get(item.row.number)
            if choice is None and len(item.candidates) == 1:
                claimants[item.candidates[0].pk].append(item.row.number)
            elif isinstance(choice, int):
                claimants[choice].append(item.row.number)
        planned = []
        for item in pending:
            planned.append(self.plan(item, matches.pop(item.row.number, None), claimants))
            item.values = None  # the use holds them now: a long file's values are not kept twice
        return planned, set(matches)

    def read(self, number, cells):
        """First pass: a row's values and the use its Reelproof id or tracker id names, or the uses it may mean."""
        row = RowPlan(number=number)
        values = self.values(row, cells)
        use_id, external_id = values.pop("id", None), values.get("external_id", "")
        key = tracker_ids.tracker_key(external_id)
        target, matched_on, candidates = None, "", []
        if use_id is not None:
            target, matched_on = self.by_pk.get(use_id), MatchedOn.ID
            if target is None:
                message = _("There is no AI use #%(id)s in this production; leave the id empty to create one.")
                self.problem(row, message % {"id": use_id}, "id")
        elif key in self.by_tracker_key:
            target, matched_on = self.by_tracker_key[key], MatchedOn.TRACKER_ID
        elif values.get("title"):
            candidates = self.by_title_and_shots.get(_title_and_shots(values["title"], values.get("shots", "")), [])
            if external_id:
                # A use recorded before its shot had a tracker id; one that has another id is another shot.
                candidates = [use for use in candidates if not use.external_id]
        if key:
            self.check_tracker_id(row, external_id, key, target)
        return _Pending(row, values, target, matched_on, candidates)

    def check_tracker_id(self, row, external_id, key, target):
        """A tracker id is the file's only once, and nobody else's in the ledger, as compared by the rule."""
        if key in self.seen_tracker_keys:
            other, spelling = self.seen_tracker_keys[key]
            if spelling == external_id:
                message = _("The tracker id “%(id)s” is also in row %(other)s; each row must have its own.")
            else:
                message = _(
                    "The tracker id “%(id)s” is the same as “%(spelling)s” in row %(other)s once compared "
                    "by the matching rule; each row must have its own."
                )
            self.problem(row, message % {"id": external_id, "other": other, "spelling": spelling}, "external_id")
        else:
            self.seen_tracker_keys[key] = (row.number, external_id)
        holder = self.by_tracker_key.get(key)
        if holder is not None and target is not None and holder.pk != target.pk:
            message = _("The tracker id “%(id)s” already belongs to another AI use (“%(title)s”).")
            self.problem(row, message % {"id": external_id, "title": holder.title}, "external_id")

    def choose(self, item, choice, claimants):
        """The candidate a row updates: the one chosen, or the only one no other row claims; None to create."""
        row, candidates = item.row, item.candidates
        row.candidates, row.choice = candidates, choice
        if choice == NEW:
            return None
        if choice is not None:
            chosen = next((use for use in candidates if use.pk == choice), None)
            if chosen is not None:
                item.matched_on = MatchedOn.CHOICE
            elif candidates:
                row.needs_choice = True
                message = _("AI use #%(id)s does not have this row’s title and shots; choose among %(uses)s.")
                row.problems.append(
                    Problem(
                        message % {"id": choice, "uses": _use_names(candidates)},
                        row=row.number,
                        scope="match",
                        code="choose",
                    )
                )
            else:
                message = _("This row matches no AI use on title and shots: there is nothing to choose.")
                row.problems.append(Problem(message, row=row.number, scope="match"))
            return chosen
        if not candidates:
            return None
        claimed_by = claimants.get(candidates[0].pk, [])
        # Read up to the rows the message names: all of them for each row would be quadratic.
        others = [number for number in claimed_by[: LISTED + 1] if number != row.number][:LISTED]
        if len(candidates) == 1 and not others:
            item.matched_on = MatchedOn.TITLE_AND_SHOTS
            return candidates[0]
        row.needs_choice = True
        if len(candidates) > 1:
            message = _(
                "%(count)d AI uses have this row’s title and shots (%(uses)s): choose the one it updates, or a new use."
            ) % {"count": len(candidates), "uses": _use_names(candidates)}
        else:
            message = ngettext(
                "Row %(rows)s also has the title and shots of AI use %(use)s: choose the row that updates it; "
                "the other is a new use.",
                "Rows %(rows)s also have the title and shots of AI use %(use)s: choose the row that updates it; "
                "the others are new uses.",
                len(claimed_by) - 1,  # the row claims it too
            ) % {
                "rows": ", ".join(map(str, others)) + (", …" if len(claimed_by) - 1 > len(others) else ""),
                "use": _use_names(candidates),
            }
        row.problems.append(Problem(message, row=row.number, scope="match", code="choose"))
        return None

    def plan(self, item, choice, claimants):
        """Second pass: the row's use, what it changes, and whether the result is valid."""
        row, values = item.row, item.values
        target = item.target
        if target is None:
            target = self.choose(item, choice, claimants)
            if target is not None and values.get("external_id") == "":
                del values["external_id"]  # matched on title and shots: the ledger's tracker id stays
        elif choice is not None:
            message = _("This row matches an AI use by its id: there is nothing to choose.")
            row.problems.append(Problem(message, row=row.number, scope="match"))
        if target is not None:
            external_id = values.get("external_id", "")
            key = tracker_ids.tracker_key(external_id)
            if key and external_id != target.external_id and key == target.tracker_key:
                # The same id spelt otherwise: the ledger keeps its spelling, and the preview shows both.
                values["external_id"], row.file_external_id = target.external_id, external_id
            if target.pk in self.seen_targets:
                message = _("Row %(other)s already changes this AI use (#%(id)s).")
                self.problem(row, message % {"other": self.seen_targets[target.pk], "id": target.pk})
            self.seen_targets.setdefault(target.pk, row.number)
            row.matched_on = item.matched_on
        use = _copy_of(target or self.new_use)
        for name, value in values.items():
            attname = "tool_id" if name == "tool" else name
            old, new = getattr(use, attname), (value.pk if name == "tool" and value is not None else value)
            if isinstance(old, str) and old.replace("\r\n", "\n") == new.replace("\r\n", "\n"):
                continue  # browsers send "\r\n", workbooks keep "\n": the text is the same
            if isinstance(old, list) and sorted(old) == sorted(new):
                continue  # the same choices, in whatever order they were stored
            if old != new:
                row.changes.append(name)
            setattr(use, name, value)
        self.validate(row, use, values)
        row.external_id, row.title, row.use = use.external_id, use.title, use
        if row.problems:
            row.action = Action.ERROR
        elif target is None:
            row.action = Action.CREATE
        else:
            row.action = Action.UPDATE if row.changes else Action.UNCHANGED
        return row

    def values(self, row, cells):
        """{field: value} of one row: its cells parsed, or the value for every row where a cell is empty."""
        values = {}
        for name, cells_of, parsed in self.readers:
            raw = cells_of(cells)
            if raw not in parsed:
                parsed[raw] = self.parse(name, raw)
            value, message = parsed[raw]
            if message is None:
                values[name] = value
            else:
                self.problem(row, message, name)
        values.update(self.fixed_only)
        return values

    def parse(self, name, raw):
        """(value, None), or (None, message) for a bad cell; `raw` is a cell, or the tuple of a joined field's cells."""
        parts = (raw,) if isinstance(raw, str) else raw
        text = JOINED_FIELDS.get(name, "").join(part for part in map(unneutralise, parts) if part)
        if not text and name in self.fixed_values:
            return self.fixed_values[name], None
        try:
            return self.parsers[name](text), None
        except ValidationError as error:
            return None, " ".join(error.messages)

    def validate(self, row, use, values):
        """The model's own field and record rules; uniqueness of tracker ids is checked above, from memory.

        Only the fields the row sets are checked: the others keep a use's stored value or the model's default,
        valid either way (test_the_defaults_of_the_fields_a_file_leaves_out_are_valid).
        """
        unchecked = {
            name for name in values if name not in _NOT_CLEANED and _checked_value(use, name) not in self.valid_values
        }
        invalid = {}
        try:
            use.clean_fields(exclude=_FIELD_NAMES - unchecked)
        except ValidationError as error:
            invalid = error.message_dict
            for name, messages in invalid.items():
                self.problem(row, " ".join(messages), name)
        self.valid_values.update(_checked_value(use, name) for name in unchecked if name not in invalid)
        try:
            use.clean()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                self.problem(row, " ".join(messages), None if name == NON_FIELD_ERRORS else name)
