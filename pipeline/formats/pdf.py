"""PDF reader: the text layer of a press release in reading order.

pdfplumber gives words with their positions; this module puts them back
into the text a reader sees:

- rows: words on the same baseline, page by page;
- running headers and footers: a row among the first or last rows of a
  page that comes back at the same height on most pages (digits aside, so
  "Page 2 / 3" matches "Page 3 / 3"), and page numbers alone, are dropped;
- columns: a page is read as two columns when a vertical strip near its
  middle is crossed by few rows while many rows have words on both sides of
  it and the left column is filled up to the strip (a label/value table is
  not); its rows are then read left column first, then right column, between
  the full-width rows (titles) that cross the strip;
- paragraphs: the lines a layout engine wrapped are joined with a space, so
  that a sentence is one line as in a text communiqué (sentences are lines
  for the extractors). A line break is kept when the next line starts a
  list item, changes font size or weight, starts after a vertical gap, or
  when its first word would have fitted at the end of the line before (the
  writer broke the line on purpose: a heading, a figure, a paragraph end);
- tables: a line with a gap of more than ``_CELL_GAP`` font sizes between two
  words is a table row (or tab-aligned label and value); it stays a line of
  its own and its cells are joined with " | ", so that "2020" and "10 000 €"
  in two cells never read as one number;
- hyphenation: "pro-" + "fessionnels" is joined into "professionnels",
  but a real hyphen stays ("Saint-" + "Étienne", "Chamousset-" +
  "en-Lyonnais", "médico-" + "social"). The document's own words decide
  first (which form occurs elsewhere in it), then the rules of
  ``pipeline.formats.hyphens``.

A PDF with no text layer (a scan), an encrypted, truncated or corrupt PDF,
and a file that is not a PDF at all are rejected with a reason saying which.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass
from statistics import median

from pipeline.formats import IngestError, Reading, hyphens, sniff
from pipeline.lines import BULLET_CLASS

MAX_PAGES = 60
"""A communiqué is a few pages; a longer PDF is a report, and would take minutes to lay out."""

_HEADER_ROWS = 3
"""How many rows at the top and at the bottom of a page may be a running header or footer."""
_GUTTER_HALF_WIDTH = 4.0
"""Half the width, in points, of the empty strip between two columns (wider than any space between words)."""
_WORD_SPACE = 0.15
"""Letters further apart than this many font sizes belong to two words: justified text set by TeX or
InDesign often has no space characters, only gaps (0.2 em and more), while kerning stays far below."""
_CELL_GAP = 2.0
"""A gap between two words wider than this many font sizes separates table cells, not words."""
_BULLETS = re.compile(rf"^(?:{BULLET_CLASS}|\d{{1,2}}[.)]|[a-z][.)])(?:\s|$)")
_PAGE_NUMBER = re.compile(r"^(?:page|p\.)?\s*#+(?:\s*(?:/|sur|de|of)\s*#+)?$|^[-–]\s*#+\s*[-–]$", re.IGNORECASE)
_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"})
_FILE_NAME_TITLE = re.compile(r"^microsoft (?:word|powerpoint) - |\.(?:docx?|odt|pdf|indd|pptx?|rtf)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Page:
    """Rows of words of one page (each row a list of pdfplumber word dicts, left to right)."""

    width: float
    rows: list[list[dict]]


@dataclass(frozen=True, slots=True)
class _Line:
    """Words read as one line, with the horizontal extent of the column or page block it belongs to."""

    words: tuple[dict, ...]
    box: tuple[float, float]
    block_start: bool = False
    """First line of a column or page: the vertical gap to the line before says nothing."""

    @property
    def text(self) -> str:
        parts = [self.words[0]["text"]]
        for before, word in zip(self.words, self.words[1:]):
            parts.append((" | " if self._cell_gap(before, word) else " ") + word["text"])
        return "".join(parts)

    @property
    def tabular(self) -> bool:
        return any(self._cell_gap(before, word) for before, word in zip(self.words, self.words[1:]))

    @staticmethod
    def _cell_gap(before: dict, word: dict) -> bool:
        return word["x0"] - before["x1"] > _CELL_GAP * before["size"]

    @property
    def x1(self) -> float:
        return max(w["x1"] for w in self.words)

    @property
    def top(self) -> float:
        return min(w["top"] for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w["bottom"] for w in self.words)

    @property
    def size(self) -> float:
        return median(w["size"] for w in self.words)

    @property
    def bold(self) -> bool:
        return all(re.search(r"bold|black|heavy", w["fontname"], re.IGNORECASE) for w in self.words)


def read_pdf(raw: bytes, source_path: str) -> Reading:
    """Text in reading order and the title from the PDF's properties; no publication date (file dates are not one)."""
    _check_container(raw, source_path)
    pages, title = _open(raw, source_path)
    lines = [line for page in _drop_running_rows(pages) for line in _reading_order(page)]
    text = _paragraphs(lines).translate(_LIGATURES)
    if text.count("(cid:") > 10:
        raise IngestError(source_path, "PDF text layer not readable: its fonts have no Unicode map")
    if sum(c.isalpha() for c in text) < 20:
        raise IngestError(source_path, "no text layer (scanned?)")
    return Reading(text, title)


def _check_container(raw: bytes, source_path: str) -> None:
    """Reject what is not a whole PDF before pdfminer tries to repair it."""
    if b"%PDF-" not in raw[:1024]:
        kind = sniff(raw)
        what = kind.name if kind else "no PDF header"
        raise IngestError(source_path, f"not a PDF: {what}")
    if b"%%EOF" not in raw[-2048:]:
        raise IngestError(source_path, "truncated PDF: no %%EOF end marker (incomplete download or copy?)")


def _open(raw: bytes, source_path: str) -> tuple[list[_Page], str | None]:
    """Rows of words of every page, and the document title; pdfminer errors become reasons."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        with pdfplumber.open(io.BytesIO(raw)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise IngestError(source_path, f"PDF too long for a communiqué: {len(pdf.pages)} pages (limit {MAX_PAGES})")
            pages = [_Page(page.width, _rows(page)) for page in pdf.pages]
            title = _title(pdf.metadata.get("Title"))
    except IngestError:
        raise
    except Exception as exc:  # pdfminer raises dozens of types on broken files; none may stop the run
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise IngestError(source_path, "encrypted PDF: it needs a password to be read") from exc
        raise IngestError(source_path, f"corrupt PDF: {type(cause).__name__} {cause}".strip()[:160]) from exc
    return pages, title


def _title(value: object) -> str | None:
    """The Title property, unless it is empty or a file name left by the authoring tool."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value if len(value) > 3 and not _FILE_NAME_TITLE.search(value) else None


def _rows(page) -> list[list[dict]]:
    """Upright words of a page grouped by baseline, top to bottom, each row left to right."""
    words = [
        w
        for w in page.extract_words(extra_attrs=["size", "fontname"], x_tolerance_ratio=_WORD_SPACE, use_text_flow=False)
        if w["upright"] and w["x1"] > 0 and w["x0"] < page.width and w["bottom"] > 0 and w["top"] < page.height
    ]
    rows: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        row = rows[-1] if rows else None
        if row and _overlap(row, word):
            row.append(word)
        else:
            rows.append([word])
    for row in rows:
        row.sort(key=lambda w: w["x0"])
    return rows


def _overlap(row: list[dict], word: dict) -> bool:
    """The word sits on the row: their heights overlap by half the smaller one (a superscript stays on its line)."""
    top, bottom = min(w["top"] for w in row), max(w["bottom"] for w in row)
    shared = min(bottom, word["bottom"]) - max(top, word["top"])
    return shared >= 0.5 * min(bottom - top, word["bottom"] - word["top"])


def _row_text(row: list[dict]) -> str:
    return re.sub(r"\d+", "#", " ".join(w["text"] for w in row).lower())


def _row_key(row: list[dict]) -> tuple[str, int]:
    """What a running row keeps from page to page: its words (digits aside) and its height on the page."""
    return _row_text(row), round(min(w["top"] for w in row) / 3)


def _drop_running_rows(pages: list[_Page]) -> list[_Page]:
    """Pages without their running headers, footers and page numbers."""

    def edges(rows: list) -> list:
        return rows[:_HEADER_ROWS] + rows[-_HEADER_ROWS:]

    seen = Counter(key for page in pages for key in {_row_key(row) for row in edges(page.rows)})
    quorum = max(2, (len(pages) + 1) // 2)
    running = {key for key, n in seen.items() if n >= quorum}

    def dropped(row: list[dict]) -> bool:
        return _row_key(row) in running or bool(_PAGE_NUMBER.match(_row_text(row)))

    kept = []
    for page in pages:
        edge = {id(row) for row in edges(page.rows)}
        kept.append(_Page(page.width, [row for row in page.rows if id(row) not in edge or not dropped(row)]))
    return kept


def _gutter(page: _Page) -> float | None:
    """The x of the strip between two columns, or None for a one-column page."""
    rows, width = page.rows, page.width
    if len(rows) < 6:
        return None
    left_edge = min(w["x0"] for row in rows for w in row)
    best, best_crossing = None, len(rows) + 1
    x = 0.3 * width
    while x <= 0.7 * width:
        crossing = sum(1 for row in rows if _crosses(row, x))
        if crossing < best_crossing or (crossing == best_crossing and abs(x - width / 2) < abs(best - width / 2)):
            best, best_crossing = x, crossing
        x += 2.0
    split = [row for row in rows if not _crosses(row, best)]
    left = [max(w["x1"] for w in row if w["x1"] <= best) for row in split if row[0]["x1"] <= best]
    right = [row for row in split if row[-1]["x0"] >= best]
    enough = max(3, 0.25 * len(rows))
    filled = bool(left) and median(left) >= left_edge + 0.7 * (best - left_edge)
    return best if len(left) >= enough and len(right) >= enough and filled else None


def _crosses(row: list[dict], x: float) -> bool:
    return any(w["x0"] < x + _GUTTER_HALF_WIDTH and w["x1"] > x - _GUTTER_HALF_WIDTH for w in row)


def _reading_order(page: _Page) -> list[_Line]:
    """Lines of one page in reading order: column by column between full-width rows."""
    rows = page.rows
    if not rows:
        return []
    gutter = _gutter(page)
    page_box = (min(w["x0"] for row in rows for w in row), max(w["x1"] for row in rows for w in row))
    if gutter is None:
        return [_Line(tuple(row), page_box, block_start=i == 0) for i, row in enumerate(rows)]
    lefts = [[w for w in row if w["x1"] <= gutter] for row in rows]
    rights = [[w for w in row if w["x0"] >= gutter] for row in rows]
    left_box = (page_box[0], max((w["x1"] for part in lefts for w in part), default=gutter))
    right_box = (min((w["x0"] for part in rights for w in part), default=gutter), page_box[1])
    lines: list[_Line] = []
    left_col: list[_Line] = []
    right_col: list[_Line] = []

    def flush() -> None:
        for column in (left_col, right_col):
            lines.extend(_Line(line.words, line.box, block_start=i == 0) for i, line in enumerate(column))
            column.clear()

    for row, left, right in zip(rows, lefts, rights):
        if _crosses(row, gutter):
            flush()
            lines.append(_Line(tuple(row), page_box, block_start=True))
            continue
        if left:
            left_col.append(_Line(tuple(left), left_box))
        if right:
            right_col.append(_Line(tuple(right), right_box))
    flush()
    return lines


def _paragraphs(lines: list[_Line]) -> str:
    """Join wrapped lines into paragraphs (one per line of output), undoing hyphenation."""
    words = hyphens.vocabulary(line.text for line in lines)
    out: list[str] = []
    previous: _Line | None = None
    for line in lines:
        text = line.text
        if previous is None:
            out.append(text)
        elif hyphens.is_broken(out[-1], text):
            out[-1] = hyphens.join(out[-1], text, words)
        elif _breaks(previous, line):
            out.append("\n" + text if _gap(previous, line) else text)
        else:
            out[-1] += " " + text
        previous = line
    return "\n".join(out)


def _gap(previous: _Line, line: _Line) -> bool:
    return not line.block_start and line.top - previous.bottom > 0.7 * previous.size


def _breaks(previous: _Line, line: _Line) -> bool:
    """The line break between two lines was the writer's, not the layout engine's."""
    if _gap(previous, line) or _BULLETS.match(line.text) or previous.tabular or line.tabular:
        return True
    if abs(line.size - previous.size) > 0.5 or line.bold != previous.bold:
        return True
    first = line.words[0]
    room = previous.box[1] - previous.x1
    return room > (first["x1"] - first["x0"]) + 0.5 * previous.size
