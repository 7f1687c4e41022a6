"""Reading CSV or XLSX uploads into a Table of text cells: size and row limits, formulas, headers.

Reading uses the csv module and openpyxl (the engine tablib drives for XLSX) rather than tablib's own
importers, which drop blank lines (so row numbers in messages would no longer match the file) and read the
cached result of a formula instead of the text the cell holds. Exports are written with tablib (exports.py).
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from productions.imports.bulk import collector_paused

MAX_COLUMNS = 200

# A cell starting with one of these is run as a formula by spreadsheets (OWASP: CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Zero or more quotes then a trigger: what `neutralise` prefixes and `unneutralise` strips one quote from.
_NEUTRALISED = re.compile("^'*[" + re.escape("".join(FORMULA_TRIGGERS)) + "]")


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


def column_letter(index):
    return get_column_letter(index + 1)


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
        with collector_paused():
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
    with collector_paused():
        return _table(file_name, _csv_rows(data))


def _csv_rows(data):
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        raise _unreadable(_("The file is UTF-16 text, not UTF-8; export it as UTF-8 CSV."))
    end = data.find(b"\n")
    first_line = data[: end if end >= 0 else len(data)].decode("utf-8", errors="replace")
    # Spreadsheets set to a European locale write ";" between cells; some trackers write tabs.
    delimiter = max((",", ";", "\t"), key=first_line.count)
    # Decoded as it is read, never as one whole string: a StringIO of a 100 MB file would take 400 MB.
    text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
    number = 0
    try:
        for number, cells in enumerate(csv.reader(text, delimiter=delimiter), start=1):
            yield number, cells
    except csv.Error as error:
        raise _unreadable(
            _("Row %(row)s cannot be read as CSV (%(error)s).") % {"row": number + 1, "error": error}
        ) from error
    except UnicodeDecodeError as error:
        start = _first_undecodable(data)
        raise _unreadable(
            _(
                "The file is not UTF-8 text (line %(line)s holds a byte UTF-8 does not use, as Latin-1 or "
                "Windows-1252 files do); export it as UTF-8 CSV."
            )
            % {"line": data.count(b"\n", 0, start) + 1}
        ) from error


def _first_undecodable(data):
    """Where the first byte UTF-8 does not use is: the decoder reading in chunks knows only its chunk's."""
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return error.start
    return 0


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
