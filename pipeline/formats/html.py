"""HTML reader: the main text of a press-release page, its title and publication date.

trafilatura finds the article and drops what surrounds it (menus, cookie
banners, "read also" boxes, footers); it keeps headings, list items
("- " lines) and tables (one "| cell | cell |" line per row, which carry
the figures of a communiqué; written here "cell | cell", without the
Markdown rule under the header, as every reader flattens a table, so that
"Adhérents | 135" reads as a label and its value). It is given the decoded page and no URL, so it
never fetches anything. Navigation, site header and footer, and cookie or
consent boxes are pruned before it looks, because on a page with no article
its fallback would return them; what is left must have ``MIN_WORDS`` words.
The publication date comes from the page's markup only (meta tags,
``<time>``): a date guessed from the body text could be any date the
release mentions.
"""

from __future__ import annotations

import re
from datetime import date
from html import unescape

from pipeline.formats import IngestError, Reading
from pipeline.formats.charset import Decoded, decode_text

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_TABLE_RULE = re.compile(r"^\|(?:\s*:?-+:?\s*\|)+\s*(?:\n|$)", re.MULTILINE)
_TABLE_ROW = re.compile(r"^\|[ \t]*(.*?)[ \t]*\|[ \t]*$", re.MULTILINE)
_DATE_PARAMS = {"extensive_search": False, "original_date": True, "outputformat": "%Y-%m-%d"}
_NOT_ARTICLE = [
    "//nav",
    "//footer[not(ancestor::article)]",
    "//header[not(ancestor::article)]",
    "//*[contains(@id, 'cookie') or contains(@class, 'cookie')]",
    "//*[contains(@id, 'consent') or contains(@class, 'consent')]",
]
_TITLE_TAG = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_CPTS_SITE = re.compile(r"\bCPTS\b|\bcommunaut[ée] professionnelle territoriale\b", re.IGNORECASE)
_TITLE_PARTS = re.compile(r"\s+[|–—-]\s+|\s*[|–—]\s*")
_NAMED_CPTS = re.compile(r"\bCPTS\s+(?:[«\"“]|(?:de la |de l['’]|du |des |de |d['’])?[A-ZÀ-Ý0-9])")
"""A CPTS named as the text names one ("CPTS du Pays Vert", "CPTS « Val »"): the page names its own."""
MIN_WORDS = 25
"""Fewer words than this in the main text: a menu, a banner or an empty page, not a communiqué."""


def read_html(raw: bytes, source_path: str) -> Reading:
    """Main text, title and publication date of an HTML page; ``IngestError`` when it has no main text."""
    import trafilatura

    decoded = _decode(raw, source_path)
    page = decoded.text
    if "<" not in page:
        raise IngestError(source_path, "not HTML: no markup in the file")
    try:
        extracted = trafilatura.bare_extraction(
            page,
            url=None,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_links=False,
            include_images=False,
            date_extraction_params=_DATE_PARAMS,
            prune_xpath=_NOT_ARTICLE,
        )
    except Exception as exc:  # lxml and trafilatura raise many types on broken markup; none may stop the run
        raise IngestError(source_path, f"unparsable HTML: {type(exc).__name__}") from exc
    if extracted is None or len((extracted.text or "").split()) < MIN_WORDS:
        raise IngestError(source_path, "no main text found in the HTML page (menus, banners or an empty page only)")
    text = _TABLE_ROW.sub(r"\1", _TABLE_RULE.sub("", extracted.text))
    site = _cpts_site_name(page, extracted.sitename)
    if site and not _NAMED_CPTS.search(text):
        text = f"{text}\n\n{site}"
    title = (extracted.title or "").strip() or None
    return Reading(text, title, _published(extracted.date), decoded.encoding, decoded.warnings)


def _cpts_site_name(page: str, sitename: str | None) -> str | None:
    """The name of the CPTS whose own site the page is on: its ``og:site_name``, else the part of its
    ``<title>`` after a dash or a bar ("Signature de l'ACI - CPTS Loire Forez"), when it holds "CPTS".

    A CPTS's own pages say "notre CPTS" and leave its name to the logo, the ``<title>`` and the footer,
    which trafilatura rightly drops; the article alone would name no CPTS and the page would be
    ``not_cpts``. The name is added as the text's last line (the place of a footer), only when the
    article names no CPTS itself: an article about another CPTS keeps to the one it names.
    """
    candidates = [sitename or ""]
    found = _TITLE_TAG.search(page)
    if found:
        candidates += reversed(_TITLE_PARTS.split(unescape(" ".join(found.group(1).split())))[1:])
    return next((c.strip() for c in candidates if _CPTS_SITE.search(c) and _NAMED_CPTS.search(c.strip())), None)


def _decode(raw: bytes, source_path: str) -> Decoded:
    """UTF-8 first, else the charset the page declares, else the rules of ``pipeline.formats.charset``."""
    try:
        return Decoded(raw.decode("utf-8-sig"), "utf-8")
    except UnicodeDecodeError:
        pass
    declared = _META_CHARSET.search(raw[:4096])
    if declared:
        charset = declared.group(1).decode("ascii")
        try:
            return Decoded(raw.decode(charset), charset.lower())
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(raw, source_path)


def _published(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None
