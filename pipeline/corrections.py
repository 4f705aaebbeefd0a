"""Corrections that survive re-runs: ``corrections.csv`` in the raw folder, applied after every extraction.

An analyst who finds a wrong value writes one line per fix (UTF-8, comma
separated, a header line; blank lines and lines starting with ``#`` are skipped):

| column | meaning |
|---|---|
| ``doc_id`` | the document (``documents.doc_id``); may be empty for ``table=registry`` or to correct every document's row of a CPTS in ``cpts`` |
| ``cpts_key`` | the CPTS (the per-document key; for ``registry`` the registry key or any of its aliases) |
| ``table`` | ``registry`` or one of ``CORRECTABLE`` (cpts, communes, fundings, dates, headcounts, missions, themes) |
| ``field`` | the column to correct (not a key, offset, evidence or rule column) |
| ``char_start`` | the fact's ``char_start`` when its table has one: it tells two facts of one document apart |
| ``value`` | the corrected value (``2021-03-01``, ``70000``, ``true``, lists separated by ``;``); empty means null |
| ``comment`` | why (free text, kept in the ``corrections`` table) |

A line must match exactly one row, except in ``cpts`` and ``registry`` where
the keys name the row(s). Corrected rows get ``corrected = true`` and the
extracted values in ``original_values`` (JSON). Lines that match nothing
(``unmatched``: the document changed, or was removed), several rows
(``ambiguous``: give ``char_start``) or that cannot be read (``invalid``) are
not applied and are listed in the ``corrections`` table with the reason. The
file itself is never rewritten: nothing an analyst wrote is lost.

Re-runs: ``revert_corrections`` restores the extracted values from
``original_values`` before the current file is applied, so a table read back
from a previous run (rows the incremental cache kept) is corrected exactly as a
fresh extraction would be, and a line removed from the file is undone.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyarrow as pa

from schemas.tables import CORRECTABLE, DERIVED_TABLES, corrected_schema

CORRECTIONS_FILE = "corrections.csv"
COLUMNS = ("doc_id", "cpts_key", "table", "field", "char_start", "value", "comment")
_FIXED = frozenset({"doc_id", "cpts_key", "char_start", "char_end", "text", "rule", "corrected", "original_values",
                    "sources", "doc_ids", "aliases", "conflicts", "fundings", "merge_reason"})
"""Columns no line may correct: keys and evidence say *which* fact, the registry's provenance columns are derived."""
_WHOLE_ROW_TABLES = ("cpts", "registry")
_BAD_OFFSET = -1
"""``char_start`` of a line whose cell is not a whole number (offsets are never negative): the line is invalid."""


class CorrectionsError(ValueError):
    """corrections.csv cannot be read at all (a missing column in the header)."""


@dataclass(frozen=True)
class Correction:
    line: int
    doc_id: str | None
    cpts_key: str | None
    table: str
    field: str
    char_start: int | None
    value: str | None
    comment: str | None


def read_corrections(path: Path) -> list[Correction]:
    """The lines of ``path`` (none when the file does not exist); a bad ``char_start`` makes its line invalid later."""
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        records = [(reader.line_num, row) for row in reader if row and any(row) and not row[0].lstrip().startswith("#")]
    if not records:
        return []
    header = [cell.strip() for cell in records[0][1]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise CorrectionsError(f"{path}: missing column(s) {', '.join(missing)}; expected {','.join(COLUMNS)}")
    out = []
    for n, cells in records[1:]:
        row = {c: (cells[header.index(c)] if header.index(c) < len(cells) else "").strip() for c in COLUMNS}
        start = row["char_start"]
        out.append(Correction(
            line=n, doc_id=row["doc_id"] or None, cpts_key=row["cpts_key"] or None, table=row["table"], field=row["field"],
            char_start=int(start) if start.isdigit() else (_BAD_OFFSET if start else None),
            value=row["value"] or None, comment=row["comment"] or None,
        ))
    return out


FINGERPRINT_KEY = b"cpts_extract.corrections"
"""Metadata key of the ``corrections`` table holding the fingerprint of the file it was made from."""


def corrections_fingerprint(path: Path) -> str:
    """A hash of the corrections file ("none" without one): a run compares it with the last run's to know whether to re-apply."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16] if path.exists() else "none"


def applied_fingerprint(schema: pa.Schema) -> str | None:
    """The fingerprint a previous run stamped on its ``corrections`` table (None when it has none)."""
    value = (schema.metadata or {}).get(FINGERPRINT_KEY)
    return value.decode() if value else None


def revert_corrections(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """``table`` as extracted, in ``schema`` (without the correction marks): corrected values put back from ``original_values``."""
    if "corrected" not in table.column_names:
        return table
    flags = table["corrected"].to_pylist()
    rows = [i for i, flag in enumerate(flags) if flag]
    originals = table["original_values"].to_pylist()
    for field_name in {f for i in rows for f in json.loads(originals[i])}:
        field = schema.field(field_name)
        values = table[field_name].to_pylist()
        for i in rows:
            old = json.loads(originals[i])
            if field_name in old:
                values[i] = _from_json(old[field_name], field.type)
        table = table.set_column(table.schema.get_field_index(field_name), field, pa.array(values, field.type))
    return pa.Table.from_arrays(table.select(schema.names).columns, schema=schema)


def apply_corrections(name: str, table: pa.Table, lines: list[Correction]) -> tuple[pa.Table, list[dict]]:
    """``table`` as extracted with the ``lines`` for it applied and the correction marks added; one log row per line."""
    schema = DERIVED_TABLES["registry"] if name == "registry" else corrected_schema(name)
    base = pa.schema([f for f in schema if f.name not in ("corrected", "original_values")])
    table = revert_corrections(table, base)
    columns = _Columns(table)
    changes: dict[int, dict[str, object]] = {}
    originals: dict[int, dict[str, object]] = {}
    log = []
    for line in lines:
        status, rows, message = _target(name, line, base, columns)
        if status == "applied":
            value, error = _parse(line.value, base.field(line.field))
            if error:
                status, rows, message = "invalid", [], error
            else:
                current = columns.get(line.field)
                changed = [i for i in rows if changes.get(i, {}).get(line.field, current[i]) != value]
                for i in changed:
                    originals.setdefault(i, {}).setdefault(line.field, current[i])
                    changes.setdefault(i, {})[line.field] = value
                message = (f"{line.field} set to {line.value!r} on {len(changed)} row(s)" if changed else
                           f"the extracted {line.field} is already {line.value!r}: this line can go")
                rows = changed
        log.append(_log_row(line, status, len(rows) if status == "applied" else 0, message))
    for field_name in sorted({f for change in changes.values() for f in change}):
        field = base.field(field_name)
        values = list(columns.get(field_name))
        for i, change in changes.items():
            if field_name in change:
                values[i] = change[field_name]
        table = table.set_column(table.schema.get_field_index(field_name), field, pa.array(values, field.type))
    marked = [i in originals for i in range(table.num_rows)]
    kept = [json.dumps({f: _to_json(v) for f, v in originals[i].items()}, ensure_ascii=False) if i in originals else None
            for i in range(table.num_rows)]
    table = table.append_column(schema.field("corrected"), pa.array(marked, pa.bool_()))
    table = table.append_column(schema.field("original_values"), pa.array(kept, pa.string()))
    return table, log


class _Columns:
    """Columns of a table as Python lists, converted once and only when a line needs them."""

    def __init__(self, table: pa.Table) -> None:
        self.table = table
        self.cache: dict[str, list] = {}

    def get(self, name: str) -> list:
        if name not in self.cache:
            self.cache[name] = self.table[name].to_pylist()
        return self.cache[name]


def _target(name: str, line: Correction, schema: pa.Schema, columns: _Columns) -> tuple[str, list[int], str]:
    """(status, matching row indices, message) of one line, before its value is read."""
    if line.field not in schema.names or line.field in _FIXED:
        why = "is not a column of" if line.field not in schema.names else "cannot be corrected in"
        return "invalid", [], f"{line.field!r} {why} {name}"
    if not line.doc_id and not line.cpts_key:
        return "invalid", [], "a line needs a doc_id or a cpts_key"
    if line.char_start == _BAD_OFFSET:
        return "invalid", [], "char_start is not a whole number"
    if line.char_start is not None and "char_start" not in schema.names:
        return "invalid", [], f"{name} rows have no char_start"
    if line.doc_id and "doc_id" not in schema.names:
        return "invalid", [], "registry lines are keyed by cpts_key"
    rows = range(columns.table.num_rows)
    if line.doc_id:
        docs = columns.get("doc_id")
        rows = [i for i in rows if docs[i] == line.doc_id]
    if line.cpts_key:
        keys = columns.get("cpts_key")
        aliases = columns.get("aliases") if name == "registry" else None
        rows = [i for i in rows if keys[i] == line.cpts_key or (aliases and line.cpts_key in aliases[i])]
    if line.char_start is not None:
        starts = columns.get("char_start")
        rows = [i for i in rows if starts[i] == line.char_start]
    rows = list(rows)
    if not rows:
        where = " ".join(f"{k}={v}" for k, v in (("doc_id", line.doc_id), ("cpts_key", line.cpts_key),
                                                 ("char_start", line.char_start)) if v is not None)
        return "unmatched", [], f"no {name} row with {where} in this run (the document changed or was removed?)"
    if len(rows) > 1 and name not in _WHOLE_ROW_TABLES:
        return "ambiguous", [], f"{len(rows)} {name} rows match: give the fact's char_start"
    return "applied", rows, ""


_TRUE, _FALSE = {"true", "vrai", "oui", "yes", "1"}, {"false", "faux", "non", "no", "0"}


def _parse(text: str | None, field: pa.Field) -> tuple[object, str | None]:
    """(value, error) of a corrected value written as text, checked against the column's type and closed list."""
    if text is None:
        return (None, None) if field.nullable else (None, f"{field.name} cannot be empty")
    kind = field.type
    try:
        if pa.types.is_integer(kind):
            value = int(text.replace(" ", "").replace("\u00a0", "").replace("\u202f", ""))
        elif pa.types.is_floating(kind):
            value = float(text.replace(",", "."))
        elif pa.types.is_boolean(kind):
            if text.lower() not in _TRUE | _FALSE:
                return None, f"{field.name} takes true or false, not {text!r}"
            value = text.lower() in _TRUE
        elif pa.types.is_date(kind):
            value = date.fromisoformat(text)
        elif pa.types.is_list(kind):
            value = [part.strip() for part in text.replace("|", ";").split(";") if part.strip()]
        else:
            value = text
    except ValueError:
        return None, f"{text!r} is not a valid {kind} for {field.name}"
    allowed = (field.metadata or {}).get(b"values")
    if allowed and value not in allowed.decode().split(","):
        return None, f"{text!r} is not one of {allowed.decode()}"
    return value, None


def _to_json(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def _from_json(value: object, kind: pa.DataType) -> object:
    return date.fromisoformat(value) if value is not None and pa.types.is_date(kind) else value


def _log_row(line: Correction, status: str, rows: int, message: str) -> dict:
    return {"line": line.line, "doc_id": line.doc_id, "cpts_key": line.cpts_key, "table": line.table,
            "field": line.field, "char_start": line.char_start if line.char_start != _BAD_OFFSET else None,
            "value": line.value, "comment": line.comment, "status": status, "rows": rows, "message": message}


def apply_to_tables(tables: Mapping[str, pa.Table], lines: list[Correction]) -> tuple[dict[str, pa.Table], list[dict]]:
    """Every ``CORRECTABLE`` table of ``tables`` corrected (and marked), and the log of the lines for them.

    Lines for ``registry`` are left for ``apply_corrections("registry", ...)``
    once the registry is built; a line naming an unknown table is invalid.
    """
    out, log = {}, []
    for name in CORRECTABLE:
        if name in tables:
            out[name], rows = apply_corrections(name, tables[name], [c for c in lines if c.table == name])
            log.extend(rows)
    for line in lines:
        if line.table not in CORRECTABLE and line.table != "registry":
            log.append(_log_row(line, "invalid", 0, f"unknown table {line.table!r}: registry, {', '.join(CORRECTABLE)}"))
    return out, log
