"""Importing AI uses from spreadsheets: our template, and the shot lists of Kitsu, ShotGrid and ftrack.

The steps, shared by the web pages and the API:
  read_upload / read_table  CSV or XLSX bytes -> a Table of text cells, each row with its number in the file
  suggest_mapping           file columns -> ledger fields, from the header names each source uses
  plan_import               every row validated against lookups fetched once: what would be created,
                            updated or left as it is, and every problem with its row and column
  commit_import             the plan again inside one transaction, written in bulk with one audited history
                            entry per created or changed use; a single problem and nothing is written

Cells are read as text, never as numbers: the tracker id "001" stays "001". People and consents are not
imported: linking a performer to a consent is a judgement made in the app, where legal reviews it; an
update keeps the links a use already has (and its history entry records them).

Reading uses the csv module and openpyxl (the engine tablib drives for XLSX) rather than tablib's own
importers, which drop blank lines (so row numbers in messages would no longer match the file) and read the
cached result of a formula instead of the text the cell holds. Exports are written with tablib (exports.py).
"""

import copy
import csv
import datetime
import functools
import io
import operator
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import IntegrityError, models, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from multiselectfield import MultiSelectField
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from productions import selectors
from productions.audit import bulk_create_audited, bulk_update_audited
from productions.models import AITool, AIUse, ImportMapping
from productions.notifications import blocks
from productions.roles import Capability, require
from productions.vocabularies import IPTC_DIGITAL_SOURCE_TYPE_BASE, ImportSource

MAX_COLUMNS = 200
BATCH_SIZE = 500

# Our template's columns, in the order exports write them. "id" is a use's Reelproof id: a row that
# has one updates that use (so uses without a tracker id survive a round trip); empty, a new use.
TEMPLATE_COLUMNS = (
    "id", "external_id", "title", "phase", "department", "description", "shots", "timecode_in",
    "timecode_out", "frame_in", "frame_out", "used_from", "used_until", "tool", "output_type",
    "digital_source_type", "is_final", "human_contribution", "performer_use", "deep_fake", "disclosure_method",
    "published_in", "marking_kept_in_master", "public_interest_text", "human_editorial_responsibility",
    "handed_to_writers", "writers_informed", "inputs_description", "inputs_rights", "biometric_data",
    "emotion_recognition", "purpose", "biometric_categorisation", "sensitive_traits_inferred",
    "untargeted_face_scraping", "intimate_imagery", "people_informed", "screens_casting_or_hiring",
)  # fmt: skip
# The audit reason of what an import writes, followed by the file's name (the history pages translate it).
IMPORT_REASON_PREFIX = "imported from "
# Written by exports for people to read; imports ignore them (people and consents are linked in the app).
EXPORT_ONLY_COLUMNS = ("people", "consent_status")
REQUIRED_FIELDS = ("title", "phase", "department", "output_type", "digital_source_type")
# Fields several columns may fill together, joined in the file's column order (Kitsu: Episode, Sequence, Name).
JOINED_FIELDS = {
    "external_id": "/",
    "shots": " / ",
    "description": "\n",
    "human_contribution": "\n",
    "inputs_description": "\n",
}
# Never set from a file, and checked by the plan itself rather than by Model.clean_fields.
_NOT_CLEANED = {"id", "production", "tool", "people", "consents", "created_at", "updated_at"}
_FIELD_NAMES = frozenset(field.name for field in AIUse._meta.fields)

# A cell starting with one of these is run as a formula by spreadsheets (OWASP: CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Zero or more quotes then a trigger: what `neutralise` prefixes and `unneutralise` strips one quote from.
_NEUTRALISED = re.compile("^'*[" + re.escape("".join(FORMULA_TRIGGERS)) + "]")

# The header names each tracker exports, and what they hold; "" means ignore by default.
SOURCE_HEADERS = {
    ImportSource.KITSU: {
        "project": "",
        "episode": "external_id",
        "sequence": "external_id",
        "name": "external_id",
        "description": "description",
        "frame in": "frame_in",
        "frame out": "frame_out",
        "fps": "",
        "nb frames": "",
    },
    ImportSource.SHOTGRID: {
        "id": "",  # ShotGrid's own row number; the shot code is what people search for
        "shot code": "external_id",
        "code": "external_id",
        "sequence": "shots",
        "description": "description",
        "cut in": "frame_in",
        "cut out": "frame_out",
        "status": "",
        "task template": "",
    },
    ImportSource.FTRACK: {
        "id": "",  # a UUID; "Parent / Name" reads like the shot
        "parent": "external_id",
        "name": "external_id",
        "type": "",
        "description": "description",
        "status": "",
        "fstart": "frame_in",
        "fend": "frame_out",
        "frame start": "frame_in",
        "frame end": "frame_out",
    },
    # Another tool's "ID" column holds its own ids, not ours.
    ImportSource.OTHER: {"id": ""},
}
# Header names met in custom columns of every tracker, besides our field names and their English labels.
COMMON_HEADERS = {
    "tracker id": "external_id",
    "external id": "external_id",
    "shot id": "external_id",
    "ai use": "title",
    "ai usage": "title",
    "ai tool": "tool",
    "final": "is_final",
    "in final": "is_final",
    "digital source": "digital_source_type",
    "source type": "digital_source_type",
    "output": "output_type",
    "dept": "department",
    "tc in": "timecode_in",
    "tc out": "timecode_out",
    "frame in": "frame_in",
    "frame out": "frame_out",
    "start frame": "frame_in",
    "end frame": "frame_out",
    "ai output": "output_type",
    "ai source type": "digital_source_type",
}

_TRUE = {"yes", "y", "true", "t", "1", "x", "final", "oui", "vrai"}
_FALSE = {"no", "n", "false", "f", "0", "temporary", "temp", "non", "faux"}
# ISO first, as exports write; then day/month/year, as European spreadsheets show dates.
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
# Between the choices of a multiple-choice cell; exports write "; ".
CHOICE_SEPARATORS = re.compile("[;,]")


def max_bytes():
    return settings.IMPORT_MAX_BYTES


def max_rows():
    return settings.IMPORT_MAX_ROWS


def neutralise(text):
    """A cell a spreadsheet would run as a formula, prefixed with one quote; `unneutralise` undoes it."""
    return f"'{text}" if _NEUTRALISED.match(text) else text


def unneutralise(text):
    """Strip the one leading quote `neutralise` adds, and only when a formula character (or quote) follows."""
    return text[1:] if text.startswith("'") and _NEUTRALISED.match(text[1:]) else text


def _key(text):
    """A header or value as compared: case, spaces, hyphens and underscores do not matter."""
    return " ".join(str(text).replace("_", " ").replace("-", " ").casefold().split())


def column_letter(index):
    return get_column_letter(index + 1)


# Reading files


@dataclass
class Table:
    """A spreadsheet as text: its headers and its non-blank rows, each with its number in the file."""

    file_name: str
    headers: list[str]
    rows: list[tuple[int, list[str]]]

    def samples(self, index, count=3):
        """The first few non-empty values of a column, to show beside its mapping."""
        values = []
        for _number, cells in self.rows:
            if cells[index] and cells[index] not in values:
                values.append(cells[index])
                if len(values) == count:
                    break
        return values


def _unreadable(message):
    return ValidationError(message, code="unreadable")


def _check_size(size):
    if size > max_bytes():
        raise _unreadable(
            _("The file is %(size)s; the limit is %(limit)s. Split it into several files.")
            % {"size": filesizeformat(size), "limit": filesizeformat(max_bytes())}
        )


def read_upload(uploaded_file):
    """An uploaded file (Django's UploadedFile) as a Table, refusing files over IMPORT_MAX_BYTES unread."""
    _check_size(uploaded_file.size)
    uploaded_file.seek(0)
    return read_table(uploaded_file.read(), uploaded_file.name or "upload")


def read_table(data, file_name):
    """CSV (UTF-8) or XLSX bytes as a Table; a ValidationError says plainly why a file cannot be read."""
    _check_size(len(data))
    if not data.strip():
        raise _unreadable(_("The file is empty."))
    if data.startswith(b"PK\x03\x04"):
        return _table(file_name, _xlsx_rows(data))
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _unreadable(_("This is an old Excel .xls workbook; save it as .xlsx, or export it as UTF-8 CSV."))
    if file_name.lower().endswith((".xlsx", ".xlsm")):
        raise _unreadable(
            _(
                "The file is named .xlsx but is not an Excel workbook (an .xlsx file is a zip archive). "
                "Save it again from your spreadsheet, or export it as UTF-8 CSV."
            )
        )
    return _table(file_name, _csv_rows(data))


def _csv_rows(data):
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        raise _unreadable(_("The file is UTF-16 text, not UTF-8; export it as UTF-8 CSV."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _unreadable(
            _(
                "The file is not UTF-8 text (line %(line)s holds a byte UTF-8 does not use, as Latin-1 or "
                "Windows-1252 files do); export it as UTF-8 CSV."
            )
            % {"line": data.count(b"\n", 0, error.start) + 1}
        ) from error
    first_line = text.split("\n", 1)[0]
    # Spreadsheets set to a European locale write ";" between cells; some trackers write tabs.
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, cells
    except csv.Error as error:
        raise _unreadable(
            _("Row %(row)s cannot be read as CSV (%(error)s).") % {"row": number + 1, "error": error}
        ) from error


def _xlsx_text(cell):
    """A cell's text as the spreadsheet shows it: 1 not "1.0", and 40 formatted "0000" is "0040"."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            return repr(value)
        text = str(int(value))
        number_format = cell.number_format or ""
        if number_format and set(number_format) == {"0"}:
            text = text.zfill(len(number_format))
        return text
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)  # text, and a formula's own text ("=A1"): stored as written, never evaluated


def _xlsx_rows(data):
    try:
        # data_only=False: a formula cell reads as its text, which is stored literally.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds on a zip that is not a workbook
        raise _unreadable(
            _("The file is a zip archive but not an Excel workbook; save it as .xlsx, or export it as UTF-8 CSV.")
        ) from error
    try:
        sheet = workbook.worksheets[0]
        # A sheet may claim the whole grid as its size: never read more columns than an import can take.
        width = min(sheet.max_column or MAX_COLUMNS + 1, MAX_COLUMNS + 1)
        for number, cells in enumerate(sheet.iter_rows(max_col=width), start=1):
            yield number, [_xlsx_text(cell) for cell in cells]
    except ValidationError:
        raise
    except Exception as error:  # a damaged sheet inside a readable zip
        raise _unreadable(
            _("The workbook's first sheet cannot be read (%(error)s); save it again as .xlsx, or export it as CSV.")
            % {"error": error}
        ) from error
    finally:
        workbook.close()


def _headers(cells):
    while cells and not cells[-1]:
        cells = cells[:-1]
    if len(cells) > MAX_COLUMNS:
        raise _unreadable(
            _("The file has %(count)s columns; an import takes at most %(limit)s.")
            % {"count": len(cells), "limit": MAX_COLUMNS}
        )
    headers = [cell or _("Column %(letter)s") % {"letter": column_letter(index)} for index, cell in enumerate(cells)]
    seen = {}
    for index, header in enumerate(headers):
        if header in seen:
            raise _unreadable(
                _("The header “%(header)s” appears in columns %(first)s and %(second)s; rename one of them.")
                % {"header": header, "first": column_letter(seen[header]), "second": column_letter(index)}
            )
        seen[header] = index
    return headers


def _table(file_name, numbered_rows):
    headers, rows, limit = None, [], max_rows()
    for number, raw_cells in numbered_rows:
        cells = [cell.strip() for cell in raw_cells]
        if headers is None:
            if any(cells):
                headers = _headers(cells)
            continue
        if len(cells) > len(headers):
            if any(cells[len(headers) :]):
                raise _unreadable(
                    _(
                        "Row %(row)s has more cells than the header row has columns: check the separator, "
                        "or give the extra column a header."
                    )
                    % {"row": number}
                )
            cells = cells[: len(headers)]
        if not any(cells):
            continue
        rows.append((number, cells + [""] * (len(headers) - len(cells))))
        if len(rows) > limit:
            raise _unreadable(
                _("The file has more than %(limit)s rows; split it into several files.") % {"limit": f"{limit:,}"}
            )
    if headers is None:
        raise _unreadable(_("The file is empty."))
    if not rows:
        raise _unreadable(_("The file has a header row but no rows to import."))
    return Table(file_name=file_name, headers=headers, rows=rows)


# Mapping columns to fields


def field_label(name):
    if name == "id":
        return _("Reelproof id")
    try:
        return str(AIUse._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


@functools.cache
def _header_aliases():
    aliases = {}
    with translation.override("en"):
        for name in TEMPLATE_COLUMNS:
            aliases[_key(name)] = name
            aliases.setdefault(_key(field_label(name)), name)
    for name in EXPORT_ONLY_COLUMNS:
        aliases[_key(name)] = ""
    return {**COMMON_HEADERS, **aliases}


def suggest_mapping(headers, source):
    """{header: field or ""} from the header names the source is known to use."""
    aliases = {**_header_aliases(), **SOURCE_HEADERS.get(source, {})}
    suggestion, taken = {}, set()
    for header in headers:
        key = _key(header)
        name = aliases.get(key, "")
        if not name and key.startswith("sg "):  # ShotGrid field codes: sg_ai_usage
            name = aliases.get(key[3:], "")
        if name in taken and name not in JOINED_FIELDS:
            name = ""  # a second column for a one-column field is left for the user to choose
        suggestion[header] = name
        taken.add(name)
    return suggestion


def initial_mapping(headers, source, saved=None):
    """The saved mapping where it knows a header, the suggestion elsewhere."""
    suggestion = suggest_mapping(headers, source)
    saved = saved or {}
    return {header: saved.get(header, suggestion[header]) for header in headers}


# Values


class ToolIndex:
    """The tools a production may name, fetched once; a cell names a tool by its id, its full name, vendor and
    product, or product. Without a production, the shared catalogue alone."""

    def __init__(self, production=None):
        self.by_id = {}
        self.by_name = [defaultdict(list), defaultdict(list), defaultdict(list)]
        tools = AITool.objects.filter(organisation__isnull=True)
        if production is not None:
            tools = selectors.tools_for_production(production)
        for tool in tools:
            self.by_id[tool.pk] = tool
            for names, spelling in zip(
                self.by_name, (str(tool), f"{tool.vendor} {tool.product}", tool.product), strict=True
            ):
                names[_key(spelling)].append(tool)
        self._found = {}

    def find(self, text):
        if text not in self._found:
            self._found[text] = self._find(text)
        tool, error = self._found[text]
        if error:
            raise ValidationError(error)
        return tool

    def _find(self, text):
        if not text:
            return None, None
        if text.isdigit():
            tool = self.by_id.get(int(text))
            if tool is None:
                return None, _("There is no tool #%(id)s in the catalogue.") % {"id": text}
            return tool, None
        for names in self.by_name:
            matches = names.get(_key(text), [])
            if len(matches) == 1:
                return matches[0], None
            if matches:
                return None, _("“%(name)s” matches several tools (%(tools)s); give the catalogue id instead.") % {
                    "name": text,
                    "tools": "; ".join(f"#{tool.pk} {tool}" for tool in matches),
                }
        return None, _(
            "“%(name)s” is not in the tool catalogue; add it under AI tools first, or give the catalogue id."
        ) % {"name": text}


@functools.cache
def _vocabulary(name):
    """{spelling: code} for a choice field: the code and the English label, and for source types the IPTC URI."""
    codes, accepted = {}, []
    with translation.override("en"):
        for code, label in AIUse._meta.get_field(name).choices:
            spellings = [code, str(label)]
            if name == "digital_source_type":
                spellings.append(IPTC_DIGITAL_SOURCE_TYPE_BASE + code)
            for spelling in spellings:
                codes.setdefault(_key(spelling), code)
            # A choice whose code is empty ("not stated") is what an empty cell gives.
            accepted.append(f"{code or _('an empty cell')} ({label})")
    return codes, "; ".join(accepted)


def accepted_values(name):
    """What a column accepts, in words (the template guide and error messages)."""
    if name == "id":
        return _("a Reelproof id from an export; empty for a new use")
    if name == "tool":
        return _("a catalogue id, or the tool's name as the catalogue shows it")
    model_field = AIUse._meta.get_field(name)
    if isinstance(model_field, models.BooleanField):
        return _("yes or no")
    if isinstance(model_field, MultiSelectField):
        return _("none, one or several of %(accepted)s, separated by “;” or “,”") % {"accepted": _vocabulary(name)[1]}
    if model_field.choices:
        return _vocabulary(name)[1]
    if isinstance(model_field, models.DateField):
        return _("a date as YYYY-MM-DD (2026-03-31) or DD/MM/YYYY (31/03/2026)")
    if isinstance(model_field, models.PositiveIntegerField):
        return _("a whole number, 0 or more")
    if name in ("timecode_in", "timecode_out"):
        return _("a SMPTE timecode such as 01:02:03:04")
    if name == "external_id":
        return _("text, kept exactly (“001” stays “001”)")
    return _("text")


def _parse_id(text):
    if not text:
        return None
    if not text.isdigit():
        raise ValidationError(_("“%(value)s” is not a Reelproof id (a whole number).") % {"value": text})
    return int(text)


def _parse_boolean(text):
    key = _key(text)
    if key in _TRUE:
        return True
    if key in _FALSE or not key:
        return False
    raise ValidationError(_("“%(value)s” is not yes or no.") % {"value": text})


def _parse_integer(text):
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text)
    except ValueError:
        number = None
    if number is None or not number.is_integer():
        raise ValidationError(_("“%(value)s” is not a whole number.") % {"value": text})
    return int(number)


def _parse_date(text):
    if not text:
        return None
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    raise ValidationError(
        _("“%(value)s” is not a date; write it as YYYY-MM-DD (2026-03-31) or DD/MM/YYYY (31/03/2026).")
        % {"value": text}
    )


def _choice_parser(name):
    model_field = AIUse._meta.get_field(name)
    default = model_field.get_default() if model_field.has_default() else ""

    def parse(text):
        if not text:
            return default
        code = _vocabulary(name)[0].get(_key(text))
        if code is None:
            raise ValidationError(
                _("“%(value)s” is not a known %(field)s. Accepted values: %(accepted)s.")
                % {"value": text, "field": model_field.verbose_name, "accepted": _vocabulary(name)[1]}
            )
        return code

    return parse


def _choices_parser(name):
    """Several codes or English labels in one cell, as a list in the vocabulary's order."""
    model_field = AIUse._meta.get_field(name)

    def parse(text):
        codes = _vocabulary(name)[0]
        # A whole cell that names one choice is read first, in case a label holds a separator.
        parts = [text] if _key(text) in codes else CHOICE_SEPARATORS.split(text)
        chosen = set()
        for part in filter(None, map(str.strip, parts)):
            code = codes.get(_key(part))
            if code is None:
                raise ValidationError(
                    _("“%(value)s” is not among the choices of “%(field)s”. Accepted values: %(accepted)s.")
                    % {"value": part, "field": model_field.verbose_name, "accepted": _vocabulary(name)[1]}
                )
            chosen.add(code)
        return [code for code, _label in model_field.choices if code in chosen]

    return parse


def _parsers(tools):
    """{field: function(text) -> value}, raising ValidationError with a message for a bad cell."""
    parsers = {"id": _parse_id, "tool": tools.find}
    for name in TEMPLATE_COLUMNS:
        if name in parsers:
            continue
        model_field = AIUse._meta.get_field(name)
        if isinstance(model_field, models.BooleanField):
            parsers[name] = _parse_boolean
        elif isinstance(model_field, MultiSelectField):
            parsers[name] = _choices_parser(name)
        elif model_field.choices:
            parsers[name] = _choice_parser(name)
        elif isinstance(model_field, models.PositiveIntegerField):
            parsers[name] = _parse_integer
        elif isinstance(model_field, models.DateField):
            parsers[name] = _parse_date
        else:
            parsers[name] = str
    return parsers


# The plan


@dataclass
class Problem:
    """Why a file, its mapping or one of its rows cannot be imported; rows are numbered as in the file."""

    message: str
    row: int | None = None
    column: str | None = None
    scope: str = "row"  # file, mapping, fixed or row

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
        return f"{self.scope}.{self.column}" if self.column else self.scope


class Action:
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    ERROR = "error"
    LABELS = {
        CREATE: gettext_lazy("Create"),
        UPDATE: gettext_lazy("Update"),
        UNCHANGED: gettext_lazy("Unchanged"),
        ERROR: gettext_lazy("Error"),
    }


@dataclass
class RowPlan:
    number: int
    action: str = Action.CREATE
    external_id: str = ""
    title: str = ""
    changes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    use: AIUse | None = None

    @property
    def action_label(self):
        return Action.LABELS[self.action]

    @property
    def change_labels(self):
        return [field_label(name) for name in self.changes]


@dataclass
class ImportPlan:
    file_name: str
    rows: list[RowPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    update_fields: set[str] = field(default_factory=set)

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
        return self.count(Action.ERROR)

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


def _existing_uses(production, lock):
    uses = AIUse.objects.filter(production=production)
    if lock:
        uses = uses.select_for_update()
    by_pk, by_external_id = {}, {}
    for use in uses:
        by_pk[use.pk] = use
        if use.external_id:
            by_external_id[use.external_id] = use
    return by_pk, by_external_id


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


def plan_import(*, production, table, mapping, fixed=None, lock=False):
    """What importing `table` would do, row by row, with every problem; writes nothing.

    Queries: the tool catalogue and the production's uses, once each, whatever the number of rows.
    """
    problems, columns, fixed_values, parsers = check_mapping(table.headers, mapping, fixed, production)
    plan = ImportPlan(file_name=table.file_name, problems=problems)
    if problems:
        return plan  # row errors would only repeat the mapping's
    planner = _RowPlanner(production, table, columns, fixed_values, parsers, lock)
    for number, cells in table.rows:
        row = planner.plan(number, cells)
        plan.rows.append(row)
        plan.problems.extend(row.problems)
        if row.action == Action.UPDATE:
            plan.update_fields.update(row.changes)
    return plan


def _checked_value(use, name):
    """(field, value) as remembered once valid; several choices are a list, remembered as a tuple."""
    value = getattr(use, name)
    return name, tuple(value) if isinstance(value, list) else value


class _RowPlanner:
    """Plans the rows of one file against the production's uses, fetched once."""

    def __init__(self, production, table, columns, fixed_values, parsers, lock):
        self.fixed_values, self.parsers = fixed_values, parsers
        self.by_pk, self.by_external_id = _existing_uses(production, lock)
        self.labels = {name: " + ".join(table.headers[i] for i in indexes) for name, indexes in columns.items()}
        self.fixed_label = _("value for every row")
        self.seen_external_ids, self.seen_targets = {}, {}
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

    def plan(self, number, cells):
        row = RowPlan(number=number)
        values = self.values(row, cells)
        target = self.target(row, values.pop("id", None), values.get("external_id", ""))
        use = copy.copy(target or self.new_use)
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

    def target(self, row, use_id, external_id):
        """The existing use a row changes (by Reelproof id, else by tracker id), or None for a new one."""
        target = None
        if use_id is not None:
            target = self.by_pk.get(use_id)
            if target is None:
                message = _("There is no AI use #%(id)s in this production; leave the id empty to create one.")
                self.problem(row, message % {"id": use_id}, "id")
        elif external_id:
            target = self.by_external_id.get(external_id)
        if external_id:
            if external_id in self.seen_external_ids:
                message = _("The tracker id “%(id)s” is also in row %(other)s; each row must have its own.")
                self.problem(
                    row, message % {"id": external_id, "other": self.seen_external_ids[external_id]}, "external_id"
                )
            self.seen_external_ids.setdefault(external_id, row.number)
            holder = self.by_external_id.get(external_id)
            if holder is not None and target is not None and holder.pk != target.pk:
                message = _("The tracker id “%(id)s” already belongs to another AI use (“%(title)s”).")
                self.problem(row, message % {"id": external_id, "title": holder.title}, "external_id")
        if target is not None:
            if target.pk in self.seen_targets:
                message = _("Row %(other)s already changes this AI use (#%(id)s).")
                self.problem(row, message % {"other": self.seen_targets[target.pk], "id": target.pk})
            self.seen_targets.setdefault(target.pk, row.number)
        return target

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


# Writing


def commit_import(*, actor, production, table, mapping, fixed=None):
    """Validate the file again and write it all, or raise ImportRejected and write nothing.

    One history entry per created or changed use, by `actor`, with the reason "imported from <file>";
    unchanged rows leave no entry.
    """
    require(actor, production.id, Capability.EDIT_RECORDS)
    try:
        with transaction.atomic():
            plan = plan_import(production=production, table=table, mapping=mapping, fixed=fixed, lock=True)
            if not plan.is_valid:
                raise ImportRejected(plan)
            now = timezone.now()
            reason = f"{IMPORT_REASON_PREFIX}{table.file_name}"[:500]
            audit = {"actor": actor, "reason": reason, "date": now, "batch_size": BATCH_SIZE}
            creates = [row.use for row in plan.rows if row.action == Action.CREATE]
            updates = [row.use for row in plan.rows if row.action == Action.UPDATE]
            bulk_create_audited(AIUse, creates, **audit)
            if updates:
                for use in updates:
                    use.updated_at = now  # bulk_update does not touch auto_now fields
                    use.version += 1  # the rows are locked: an edit opened before the import is refused after it
                changed = plan.update_fields | {"updated_at", "version"}
                bulk_update_audited(AIUse, updates, sorted(changed), **audit)
            # Changed facts can leave a coverage decision to confirm again; new uses may lack their consent.
            blocks.refresh(AIUse.objects.filter(pk__in=[use.pk for use in creates + updates]))
    except IntegrityError as error:
        # Another change made between the plan and the write (two imports of one file at once).
        plan = ImportPlan(file_name=table.file_name)
        plan.problems.append(
            Problem(_("Another change to this ledger got in the way; nothing was imported. Try again."), scope="file")
        )
        raise ImportRejected(plan) from error
    return plan


# Saved mappings


def saved_mappings(production):
    return ImportMapping.objects.filter(production=production).order_by("name")


@transaction.atomic
def save_mapping(*, actor, production, name, source, mapping, fixed):
    """Save (or replace) a named mapping of the production, for the next file of the same kind."""
    require(actor, production.id, Capability.EDIT_RECORDS)
    saved = ImportMapping.objects.filter(production=production, name=name).first() or ImportMapping(
        production=production, name=name, created_by=actor
    )
    saved.source = source
    saved.mapping = {header: name or "" for header, name in mapping.items()}
    saved.fixed_values = {name: value for name, value in (fixed or {}).items() if value not in (None, "")}
    saved.full_clean()
    saved.save()
    return saved
