"""Read an uploaded .xlsx or .csv file into a header and a stream of rows.

Excel files are read with python-calamine (a Rust reader, several times faster than openpyxl);
CSV files must be UTF-8 (with or without the BOM that Excel writes) and may use a comma or a
semicolon (Excel in an Indonesian locale writes semicolons).

A table never holds its rows: each pass over ``Table.rows`` reads them again from the file
(CSV) or from calamine's copy of the sheet (xlsx), so that a 450,000-row file costs the memory
of one row at a time, not of the whole grid.

Calamine builds a sheet as one dense grid from its top-left to its bottom-right cell that holds
anything, a space included. One such cell at XFD1048576 would ask for 2^34 cells (about
550 GB), so before calamine sees a sheet, ``_survey_sheet`` streams its XML once and looks for
cells past the configured limits (``KINERJA_IMPORT_MAX_ROWS`` and ``KINERJA_IMPORT_MAX_COLUMNS``):
one that holds a value refuses the file with the size found; blank ones are dropped from a
cleaned copy of the workbook that calamine reads instead.
"""

from __future__ import annotations

import csv
import io
import posixpath
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from html import unescape
from itertools import islice
from pathlib import PurePath
from typing import IO, Any

# ElementTree fetches no external entity, and expat (2.4 and later) stops entity expansion
# bombs; it reads only the small workbook index and, for blank far cells, the shared strings.
from xml.etree import ElementTree

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

EXTENSIONS = (".xlsx", ".csv")
GUIDE_SHEET = "Petunjuk"
CHUNK = 1 << 20  # bytes of sheet XML or CSV read at a time


class ImportFileError(Exception):
    """The file cannot be read; the message is meant for the user."""


@dataclass(frozen=True)
class Limits:
    """The largest sheet an import reads: data rows and columns."""

    rows: int
    columns: int

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            rows=getattr(settings, "KINERJA_IMPORT_MAX_ROWS", 500_000),
            columns=getattr(settings, "KINERJA_IMPORT_MAX_COLUMNS", 30),
        )


class Table:
    """The first sheet of a file: its header, where it stands, and its data rows.

    ``rows`` may be a list or a callable that returns a fresh iterator of the data rows; each
    ``for row in table.rows`` then reads them again. ``row_count`` and ``unnamed_columns`` are
    found by one pass, made the first time either is asked for.
    """

    def __init__(
        self,
        headers: list[str],
        rows: list[list[Any]] | Callable[[], Iterator[list[Any]]],
        header_row: int = 1,
        first_column: int = 0,
        limits: Limits | None = None,
        text_only: bool = False,
    ) -> None:
        self.headers = headers
        self.text_only = text_only  # every cell is a str (CSV)
        self.header_row = header_row  # as the spreadsheet numbers it
        self.first_column = first_column  # 0 for column A
        self.limits = limits
        self.rows: Iterable[list[Any]] = rows if isinstance(rows, list) else _Rows(rows)
        self._count: int | None = None
        self._unnamed: list[int] = []

    @property
    def row_count(self) -> int:
        """Return the number of data rows that hold anything."""
        if self._count is None:
            self._scan()
        return self._count  # type: ignore[return-value]

    @property
    def unnamed_columns(self) -> list[int]:
        """Return the positions of the columns that hold data under a blank header."""
        if self._count is None:
            self._scan()
        return self._unnamed

    def release(self) -> None:
        """Let go of what the rows are read from (calamine's copy of a sheet): no pass is left.

        A workbook of 450,000 rows keeps about 250 MiB in calamine; the engine drops it before
        the writes, which need memory of their own.
        """
        if self._count is None:
            self._scan()
        self.rows = _Rows(_released)

    def column_letter(self, position: int) -> str:
        """Return the column letter, as the spreadsheet names it, of a header position."""
        return column_letter(self.first_column + position)

    def _scan(self) -> None:
        width = len(self.headers)
        blank = [i for i, h in enumerate(self.headers) if not h]
        unnamed: set[int] = set()
        max_rows = self.limits.rows if self.limits else None
        count = 0
        text_only = self.text_only
        for row in self.rows:
            if (not "".join(row).strip()) if text_only else is_blank_row(row):
                continue
            count += 1
            if blank:
                unnamed.update(i for i in blank if i < len(row) and not _is_blank(row[i]))
            if len(row) > width:
                unnamed.update(i for i in range(width, len(row)) if not _is_blank(row[i]))
            if max_rows is not None and count > max_rows:
                raise ImportFileError(too_many_rows(self.header_row + count, self.limits))
        self._count = count
        self._unnamed = sorted(unnamed)


def _released() -> Iterator[list[Any]]:
    raise RuntimeError("The table's rows were released.")


class _Rows:
    """An iterable that reads its rows afresh on every pass."""

    def __init__(self, open_rows: Callable[[], Iterator[list[Any]]]) -> None:
        self.open_rows = open_rows

    def __iter__(self) -> Iterator[list[Any]]:
        return self.open_rows()


def _is_blank(cell: Any) -> bool:
    return cell is None or cell == "" or (cell.__class__ is str and not cell.strip())


def is_blank_row(row: list[Any]) -> bool:
    for cell in row:
        if cell is None or cell == "":
            continue
        if cell.__class__ is str and not cell.strip():
            continue
        return False
    return True


def column_letter(index: int) -> str:
    """Return Excel's name of the 0-based column ``index``: A, ..., Z, AA, ..."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """Return the 0-based index of the column Excel names ``letters``."""
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


def too_many_rows(last_row: int, limits: Limits) -> str:
    return _(
        "The sheet has data down to row %(row)s; an import reads at most %(limit)s rows. "
        "Split the file or delete the rows below the data."
    ) % {"row": number_format(last_row, force_grouping=True), "limit": _n(limits.rows)}


def too_many_columns(column: int, limits: Limits) -> str:
    return _(
        "The sheet has data up to column %(column)s (column %(number)s); an import reads at "
        "most %(limit)s columns. Delete the columns right of the data."
    ) % {"column": column_letter(column), "number": _n(column + 1), "limit": _n(limits.columns)}


def _n(value: int) -> str:
    return number_format(value, force_grouping=True)


def extension(name: str) -> str:
    return PurePath(name or "").suffix.lower()


def read_table(fileobj: IO[bytes], name: str, limits: Limits | None = None) -> Table:
    """Return the table in ``fileobj``, choosing the reader by the extension of ``name``.

    ``fileobj`` must stay open while the table's rows are read.
    """
    limits = limits or Limits.from_settings()
    ext = extension(name)
    if ext == ".xlsx":
        return _read_xlsx(fileobj, limits)
    if ext == ".csv":
        return _read_csv(fileobj, limits)
    raise ImportFileError(
        _("Upload an Excel (.xlsx) or CSV (.csv) file, not '%(ext)s'.") % {"ext": ext or name}
    )


def estimate_rows(fileobj: IO[bytes], name: str, limits: Limits | None = None) -> int:
    """Return about how many data rows the file has, reading it as a stream.

    Exact for CSV; for a workbook the number of its last row (or of its rows, if more), less
    the header.
    Raises ``ImportFileError`` for a file that cannot be read or is past the limits. Leaves
    ``fileobj`` at its start.
    """
    limits = limits or Limits.from_settings()
    ext = extension(name)
    try:
        if ext == ".xlsx":
            with zipfile.ZipFile(_raw(fileobj)) as archive:
                sheet_name, member = _first_sheet(archive)
                survey = _survey_sheet(archive, member, sheet_name, limits)
            # The last row's number, not the number of rows: a sparse sheet (a value in row 2
            # and one in row 400,000) costs calamine its whole grid, so it goes to the worker.
            return max(survey.rows, survey.last_row) - 1 if survey.rows else 0
        table = read_table(fileobj, name, limits)
        return table.row_count
    except zipfile.BadZipFile:
        raise ImportFileError(_not_excel()) from None
    finally:
        fileobj.seek(0)


# --- CSV -------------------------------------------------------------------------------------


def _raw(fileobj: Any) -> Any:
    """Return the real file under Django's File and UploadedFile wrappers."""
    while not isinstance(fileobj, io.IOBase) and hasattr(fileobj, "file"):
        fileobj = fileobj.file
    return fileobj


def _text_lines(fileobj: Any, read: Callable[[io.TextIOWrapper], Iterator[Any]]) -> Iterator[Any]:
    """Yield what ``read`` yields from the UTF-8 text of a file, decoded as it is read."""
    raw = _raw(fileobj)
    raw.seek(0)
    text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
    try:
        # ``yield from`` a reader, never from ``text``: closing this generator would close the
        # wrapper and with it the file.
        yield from read(text)
    except UnicodeDecodeError:
        raise ImportFileError(
            _("The CSV file is not UTF-8 text. In Excel choose 'CSV UTF-8' when saving.")
        ) from None
    except csv.Error as exc:
        if "NUL" in str(exc):
            raise ImportFileError(_("This is not a CSV text file.")) from None
        raise ImportFileError(_("The CSV file is malformed: %(error)s") % {"error": exc}) from None
    finally:
        text.detach()


def _read_csv(fileobj: IO[bytes], limits: Limits) -> Table:
    with closing(_text_lines(fileobj, lambda text: (line for line in text))) as lines:
        first = next((line for line in lines if line.strip()), "")
    if "\x00" in first:
        raise ImportFileError(_("This is not a CSV text file."))
    if not first:
        raise ImportFileError(_("The file is empty."))
    delimiter = ";" if first.count(";") > first.count(",") else ","

    def records() -> Iterator[list[str]]:
        return _text_lines(fileobj, lambda text: csv.reader(text, delimiter=delimiter))

    skipped = 0
    headers: list[Any] = []
    with closing(records()) as rows:
        for row in rows:
            if not is_blank_row(row):
                headers = row
                break
            skipped += 1
    last = max((i for i, h in enumerate(headers) if not _is_blank(h)), default=0)
    if last >= limits.columns:
        raise ImportFileError(too_many_columns(last, limits))

    def data_rows() -> Iterator[list[str]]:
        return islice(records(), skipped + 1, None)

    return Table(
        headers=[_header(h) for h in headers],
        rows=data_rows,
        header_row=skipped + 1,
        limits=limits,
        text_only=True,
    )


def _header(cell: Any) -> str:
    return str(cell).strip() if cell is not None else ""


# --- Excel -----------------------------------------------------------------------------------


def _not_excel() -> str:
    return _("The file could not be read as an Excel workbook (.xlsx). Save it again in Excel.")


def _read_xlsx(fileobj: IO[bytes], limits: Limits) -> Table:
    raw = _raw(fileobj)
    try:
        raw.seek(0)
        with zipfile.ZipFile(raw) as archive:
            sheet_name, member = _first_sheet(archive)
            survey = _survey_sheet(archive, member, sheet_name, limits)
            source: Any = raw
            if survey.blank_far_cells:
                source = _without_far_cells(archive, member, survey)
        source.seek(0)
        workbook = CalamineWorkbook.from_filelike(source)
        sheet = workbook.get_sheet_by_name(sheet_name)
        start = sheet.start
    except ImportFileError:
        raise
    except Exception:  # noqa: BLE001 - zipfile and calamine raise several types
        raise ImportFileError(_not_excel()) from None
    if start is None:
        raise ImportFileError(_("The file is empty."))
    top, left = start
    # iter_rows yields the sheet from its first row, but from its first used column.
    header = next(islice(sheet.iter_rows(), top, None), None)
    if header is None:
        raise ImportFileError(_("The file is empty."))

    def data_rows() -> Iterator[list[Any]]:
        return islice(sheet.iter_rows(), top + 1, None)

    return Table(
        headers=[_header(h) for h in header],
        rows=data_rows,
        header_row=top + 1,
        first_column=left,
        limits=limits,
    )


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _first_sheet(archive: zipfile.ZipFile) -> tuple[str, str]:
    """Return the name and the zip member of the first sheet that is not the guide."""
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))  # noqa: S314
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))  # noqa: S314
    except (KeyError, ElementTree.ParseError):
        raise ImportFileError(_not_excel()) from None
    targets = {r.get("Id"): r.get("Target", "") for r in rels if _local(r.tag) == "Relationship"}
    for sheet in workbook.iter():
        if _local(sheet.tag) != "sheet":
            continue
        name = sheet.get("name", "")
        if name.strip().casefold() == GUIDE_SHEET.casefold():
            continue
        rid = next((v for k, v in sheet.attrib.items() if _local(k) == "id"), None)
        target = targets.get(rid, "")
        if target.startswith("/"):
            member = target.lstrip("/")
        else:
            member = posixpath.normpath(posixpath.join("xl", target))
        if member not in archive.NameToInfo:
            raise ImportFileError(_not_excel())
        return name, member
    raise ImportFileError(_("The workbook has no sheet with data."))


@dataclass
class _Survey:
    """What one streaming pass over a sheet's XML found."""

    prefix: bytes  # the namespace prefix of the sheet's elements, with its colon, or b""
    rows: int = 0  # row elements
    last_row: int = 0  # the number of the last row within the limits
    blank_far_cells: int = 0
    far: re.Pattern[bytes] | None = None
    shared_blank: set[int] | None = field(default=None, repr=False)


def _above_digits(limit: int) -> bytes:
    """Return a regex for decimal numbers (no leading zero, up to 7 digits) above ``limit``."""
    text = str(limit)
    alternatives = []
    for i, ch in enumerate(text):
        if ch != "9":
            rest = len(text) - i - 1
            alternatives.append(f"{text[:i]}[{int(ch) + 1}-9][0-9]{{{rest}}}")
    if len(text) < 7:
        alternatives.append(f"[1-9][0-9]{{{len(text)},6}}")
    return "|".join(alternatives).encode()


def _above_letters(limit: int) -> bytes:
    """Return a regex for column letters (up to 3) naming a column past the 0-based ``limit``."""
    text = column_letter(limit)
    alternatives = []
    for i, ch in enumerate(text):
        if ch != "Z":
            rest = len(text) - i - 1
            alternatives.append(f"{text[:i]}[{chr(ord(ch) + 1)}-Z][A-Z]{{{rest}}}")
    if len(text) < 3:
        alternatives.append(f"[A-Z]{{{len(text) + 1},3}}")
    return "|".join(alternatives).encode()


def _far_pattern(prefix: bytes, limits: Limits) -> re.Pattern[bytes]:
    """Match a cell past the limits, or a cell whose position is not its first attribute.

    The header takes one row, so data rows end at row ``limits.rows + 1``.
    """
    p = re.escape(prefix)
    columns, rows = _above_letters(limits.columns - 1), _above_digits(limits.rows + 1)
    return re.compile(
        rb"<" + p + rb"c(?:"
        rb' r="(?P<ref>(?:' + columns + rb")[0-9]+|[A-Z]{1,3}(?:" + rows + rb'))"'
        rb"(?P<attrs>[^>]*?)(?:/>|>(?P<body>.*?)</" + p + rb"c>)"
        rb'|(?P<odd>(?=[\s>/])(?!\sr=")))',
        re.S,
    )


def _survey_sheet(
    archive: zipfile.ZipFile, member: str, sheet_name: str, limits: Limits
) -> _Survey:
    """Stream the sheet's XML once: refuse a value past the limits, count blank cells there."""
    survey: _Survey | None = None
    carry = b""
    with archive.open(member) as stream:
        while True:
            block = stream.read(CHUNK)
            if survey is None:
                found = re.search(rb"<(?:([A-Za-z_][\w.-]*):)?worksheet[\s>]", block)
                prefix = found.group(1) + b":" if found and found.group(1) else b""
                survey = _Survey(prefix=prefix, far=_far_pattern(prefix, limits))
            buffer = carry + block
            cut = _cut(buffer, survey.prefix) if block else len(buffer)
            try:
                _survey_part(buffer, cut, survey, archive, sheet_name, limits)
            except _Unplaced:
                return _survey_exact(archive, member, limits)
            carry = buffer[cut:]
            if not block:
                break
            if len(carry) > 64 * CHUNK:
                raise ImportFileError(_not_excel())
    assert survey is not None
    return survey


def _cut(buffer: bytes, prefix: bytes) -> int:
    """Return where the last cell that starts in ``buffer`` starts: it may end in the next."""
    return max(buffer.rfind(b"<" + prefix + b"c"), 0)


def _survey_part(
    buffer: bytes,
    end: int,
    survey: _Survey,
    archive: zipfile.ZipFile,
    sheet_name: str,
    limits: Limits,
) -> None:
    survey.rows += buffer.count(b"<" + survey.prefix + b"row", 0, end) - buffer.count(
        b"<" + survey.prefix + b"rowBreaks", 0, end
    )
    _note_last_row(buffer, end, survey, limits)
    for match in survey.far.finditer(buffer, 0, end):  # type: ignore[union-attr]
        if match.group("odd") is not None:
            # A cell whose position is not its first attribute, or that has none (then it
            # follows the cell before). Excel and LibreOffice never write one; read it slowly.
            raise _Unplaced
        if _cell_is_blank(match, survey, archive):
            survey.blank_far_cells += 1
            continue
        ref = match.group("ref").decode()
        letters = ref.rstrip("0123456789")
        row, column = int(ref[len(letters) :]), column_index(letters)
        if column >= limits.columns:
            raise ImportFileError(too_many_columns(column, limits))
        raise ImportFileError(too_many_rows(row, limits))


def _note_last_row(buffer: bytes, end: int, survey: _Survey, limits: Limits) -> None:
    """Remember the number of the buffer's last row within the limits (rows come in order)."""
    tag = b"<" + survey.prefix + b'row r="'
    at = buffer.rfind(tag, 0, end)
    while at >= 0:
        start = at + len(tag)
        number = buffer[start : buffer.find(b'"', start, start + 9)]
        if number.isdigit() and int(number) <= limits.rows + 1:
            survey.last_row = max(survey.last_row, int(number))
            return
        at = buffer.rfind(tag, 0, at)


class _Unplaced(Exception):
    """The quick survey met a cell whose position it cannot read."""


def _survey_exact(archive: zipfile.ZipFile, member: str, limits: Limits) -> _Survey:
    """Survey a sheet cell by cell with an XML parser, placing cells that give no position."""
    survey = _Survey(prefix=b"")
    row = column = -1
    with archive.open(member) as stream:
        for event, element in ElementTree.iterparse(stream, events=("start", "end")):  # noqa: S314
            tag = _local(element.tag)
            if event == "start":
                ref = element.get("r") or ""
                if tag == "row":
                    row = int(ref) - 1 if ref.isdigit() else row + 1
                    column = -1
                    survey.rows += 1
                elif tag == "c":
                    letters = ref.rstrip("0123456789")
                    if letters and ref[len(letters) :]:
                        row, column = int(ref[len(letters) :]) - 1, column_index(letters)
                    else:
                        column += 1
                continue
            if tag == "row":
                element.clear()
            if tag != "c":
                continue
            if column >= limits.columns or row > limits.rows:
                if not _element_is_blank(element, survey, archive):
                    if column >= limits.columns:
                        raise ImportFileError(too_many_columns(column, limits))
                    raise ImportFileError(too_many_rows(row + 1, limits))
                survey.blank_far_cells += 1
            element.clear()
    if survey.blank_far_cells:
        # Blank cells far away in a sheet that does not name its cells' places: the copy
        # without them is not worth writing for so rare a file.
        raise ImportFileError(_not_excel())
    return survey


def _element_is_blank(element: ElementTree.Element, survey: _Survey, archive: Any) -> bool:
    kind = element.get("t", "n")
    if kind == "inlineStr":
        return not "".join(t.text or "" for t in element.iter() if _local(t.tag) == "t").strip()
    value = next((v.text or "" for v in element if _local(v.tag) == "v"), "").strip()
    if kind == "s" and value.isdigit():
        if survey.shared_blank is None:
            survey.shared_blank = _blank_shared_strings(archive)
        return int(value) in survey.shared_blank
    return not value


_VALUE = re.compile(rb"<(?:[\w.-]+:)?v>([^<]*)</(?:[\w.-]+:)?v>")
_TEXT = re.compile(rb"<(?:[\w.-]+:)?t(?:\s[^>]*)?>([^<]*)</(?:[\w.-]+:)?t>")
_TYPE = re.compile(rb'\st="(\w+)"')


def _cell_is_blank(match: re.Match[bytes], survey: _Survey, archive: zipfile.ZipFile) -> bool:
    """Return whether a cell's value is nothing, or only spaces."""
    body = match.group("body")
    if not body:
        return True
    kind = _TYPE.search(match.group("attrs"))
    kind = kind.group(1) if kind else b"n"
    if kind == b"inlineStr":
        return not unescape(b"".join(_TEXT.findall(body)).decode("utf-8", "replace")).strip()
    value = _VALUE.search(body)
    if value is None:
        return True
    text = unescape(value.group(1).decode("utf-8", "replace")).strip()
    if kind == b"s" and text.isdigit():
        if survey.shared_blank is None:
            survey.shared_blank = _blank_shared_strings(archive)
        return int(text) in survey.shared_blank
    return not text


def _blank_shared_strings(archive: zipfile.ZipFile) -> set[int]:
    """Return the positions of the workbook's shared strings that are empty or spaces."""
    blank: set[int] = set()
    name = next(
        (n for n in archive.NameToInfo if n.lower() == "xl/sharedstrings.xml"),
        None,
    )
    if name is None:
        return blank
    index = 0
    with archive.open(name) as stream:
        for _event, element in ElementTree.iterparse(stream):  # noqa: S314
            if _local(element.tag) != "si":
                continue
            texts = (t.text or "" for t in element.iter() if _local(t.tag) == "t")
            if not "".join(texts).strip():
                blank.add(index)
            index += 1
            element.clear()
    return blank


def _without_far_cells(archive: zipfile.ZipFile, member: str, survey: _Survey) -> IO[bytes]:
    """Return a copy of the workbook whose sheet lacks the blank cells past the limits."""
    out = tempfile.TemporaryFile()  # noqa: SIM115 - the caller reads it, then it goes away
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in archive.infolist():
            if info.filename != member:
                with archive.open(info) as src, copy.open(info.filename, "w") as dst:
                    shutil.copyfileobj(src, dst, CHUNK)
                continue
            with archive.open(info) as src, copy.open(info.filename, "w") as dst:
                carry = b""
                while True:
                    block = src.read(CHUNK)
                    buffer = carry + block
                    cut = _cut(buffer, survey.prefix) if block else len(buffer)
                    # Every far cell is blank by now (the survey refused the file otherwise).
                    dst.write(
                        survey.far.sub(_keep_odd, buffer[:cut])  # type: ignore[union-attr]
                    )
                    carry = buffer[cut:]
                    if not block:
                        break
    return out


def _keep_odd(match: re.Match[bytes]) -> bytes:
    return match.group(0) if match.group("odd") is not None else b""
