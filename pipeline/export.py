"""Every output table as CSV, JSON Lines or one Excel workbook, for analysts who do not read Parquet.

- ``csv``: ``<table>.csv`` each, UTF-8 with a byte-order mark (so Excel
  opens accents right), comma-separated, a header row; empty cell = null.
- ``jsonl``: ``<table>.jsonl`` each, one JSON object per row, nulls as
  ``null``, lists as arrays.
- ``xlsx``: ``tables.xlsx``, one sheet per table (written with XlsxWriter,
  strings always as text so a value starting with ``=`` is never a formula),
  plus a first sheet ``lisez-moi`` listing the tables and what was shortened.

In CSV and Excel a list (``departement_codes``) is its JSON text
(``["42", "69"]``), dates are ISO (``2021-03-05``), timestamps UTC. Excel
holds at most 32,767 characters in a cell and 1,048,576 rows in a sheet: a
longer text (``documents.text``) is cut with a note saying so, and a longer
table goes on in sheets ``<table> (2)``, ``<table> (3)``... Parquet stays the
source of truth. Files are written to a temporary name, then renamed.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Literal, get_args

import pyarrow.parquet as pq

from pipeline.catalog import OutputCatalog
from schemas import TABLES

Format = Literal["csv", "xlsx", "jsonl"]
FORMATS: tuple[str, ...] = get_args(Format)

EXCEL_MAX_CHARS = 32_767
EXCEL_MAX_ROWS = 1_048_576
WORKBOOK_NAME = "tables.xlsx"
_BATCH = 10_000


class ExportError(ValueError):
    """The tables cannot be exported: the output folder has none, or the format is unknown."""


def _text(value: object) -> object:
    """A cell of CSV or Excel: lists as JSON, dates ISO, timestamps UTC; numbers, booleans and None unchanged."""
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).replace(tzinfo=None).isoformat(sep=" ") if value.tzinfo else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _rows(path: Path) -> Iterator[dict]:
    """The rows of one Parquet table, a batch at a time, so a large table never sits whole in memory as dicts."""
    for batch in pq.ParquetFile(path).iter_batches(batch_size=_BATCH):
        yield from batch.to_pylist()


def _csv(name: str, source: Path, target: Path) -> None:
    with open(target, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(TABLES[name].names)
        for row in _rows(source):
            writer.writerow(["" if (v := _text(value)) is None else v for value in row.values()])


def _jsonl(name: str, source: Path, target: Path) -> None:
    with open(target, "w", encoding="utf-8") as handle:
        for row in _rows(source):
            handle.write(json.dumps(row, ensure_ascii=False, default=_text) + "\n")


def _xlsx(sources: dict[str, Path], target: Path) -> None:
    import xlsxwriter

    options = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    notes: dict[str, list[str]] = {}
    with xlsxwriter.Workbook(target, options) as book:
        readme = book.add_worksheet("lisez-moi")
        bold = book.add_format({"bold": True})
        for name, source in sources.items():
            notes[name] = _xlsx_table(book, name, source, bold)
        readme.write_row(0, 0, ["table", "lignes", "remarques"], bold)
        for i, (name, source) in enumerate(sources.items(), start=1):
            readme.write_string(i, 0, name)
            readme.write_number(i, 1, pq.read_metadata(source).num_rows)
            readme.write_string(i, 2, "; ".join(notes[name]) or "complète")
        readme.set_column(0, 0, 14)
        readme.set_column(2, 2, 100)


def _xlsx_table(book, name: str, source: Path, bold) -> list[str]:
    """Write one table over as many sheets as Excel needs; returns notes on what had to be cut."""
    columns = TABLES[name].names
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    notes, cut, sheet, row_no, part = [], 0, None, EXCEL_MAX_ROWS, 0
    for row in _rows(source):
        if row_no >= EXCEL_MAX_ROWS:
            part += 1
            sheet = book.add_worksheet(name if part == 1 else f"{name} ({part})")
            sheet.write_row(0, 0, columns, bold)
            sheet.freeze_panes(1, 0)
            row_no = 1
        for col, value in enumerate(row.values()):
            cut += _xlsx_cell(sheet, row_no, col, value, day)
        row_no += 1
    if sheet is None:
        sheet = book.add_worksheet(name)
        sheet.write_row(0, 0, columns, bold)
    if part > 1:
        notes.append(f"plus de {EXCEL_MAX_ROWS - 1} lignes : suite dans les feuilles « {name} (2) »…")
    if cut:
        notes.append(f"{cut} textes de plus de {EXCEL_MAX_CHARS} caractères coupés (texte entier dans le Parquet, CSV ou JSONL)")
    return notes


def _xlsx_cell(sheet, row: int, col: int, value: object, day) -> int:
    """Write one cell with its own type; returns 1 when a text had to be cut to Excel's limit."""
    if value is None:
        return 0
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value)
    elif isinstance(value, date) and not isinstance(value, datetime):
        sheet.write_datetime(row, col, datetime(value.year, value.month, value.day), day)
    else:
        text = str(_text(value))
        if len(text) > EXCEL_MAX_CHARS:
            marker = f"… [coupé : {len(text)} caractères]"
            sheet.write_string(row, col, text[: EXCEL_MAX_CHARS - len(marker)] + marker)
            return 1
        sheet.write_string(row, col, text)
    return 0


_PER_TABLE: dict[str, Callable[[str, Path, Path], None]] = {"csv": _csv, "jsonl": _jsonl}


def export_tables(out_dir: Path, fmt: Format, to_dir: Path | None = None) -> list[Path]:
    """Write every table of ``out_dir`` in ``fmt`` into ``to_dir`` (default ``out_dir/export``); returns the files written."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
    catalog = OutputCatalog(out_dir)
    sources = {name: catalog.table(name) for name in TABLES}
    missing = [name for name, path in sources.items() if not path.exists()]
    if missing:
        raise ExportError(f"no extracted tables in {out_dir} (missing {', '.join(missing)}): run `make extract` first")
    to_dir = to_dir or out_dir / "export"
    to_dir.mkdir(parents=True, exist_ok=True)
    if fmt == "xlsx":
        targets = {WORKBOOK_NAME: lambda tmp: _xlsx(sources, tmp)}
    else:
        targets = {f"{name}.{fmt}": (lambda tmp, n=name: _PER_TABLE[fmt](n, sources[n], tmp)) for name in sources}
    written = []
    for file_name, write in targets.items():
        final = to_dir / file_name
        tmp = final.with_name(final.name + ".tmp")
        try:
            write(tmp)
            tmp.replace(final)
        finally:
            tmp.unlink(missing_ok=True)
        written.append(final)
    return written
