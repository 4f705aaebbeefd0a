"""Bytes of a text file to str, with the charset it was decoded from, or a clear refusal.

French text files come in UTF-8 (with or without BOM), UTF-16 with a BOM, and
the legacy charsets of Windows and old Macs. The rules, in order:

1. Valid UTF-8 is UTF-8.
2. UTF-8 with a few invalid bytes (a bad copy, a truncated character) is
   UTF-8: each invalid byte becomes U+FFFD and the document carries a warning
   ("2 invalid UTF-8 bytes replaced at offsets 3000, 3001"), so two bytes
   cost two characters, not the document. "A few" means that the valid
   multi-byte characters are at least as many as the invalid bytes, and the
   invalid bytes are at most ``MAX_INVALID_SHARE`` (1 %) of the file: more,
   and the file is not UTF-8 with accidents but something else.
3. Otherwise each legacy charset (``LEGACY_CHARSETS``) that decodes the bytes
   is scored on how French the result reads: letters and signs of French
   (é è ê à ç ù î ô œ « » ’ €) count for it; other non-ASCII signs, and a
   capital accented letter inside a lower-case word ("finanÁant",
   "CommuniquÈ": cp1252 read as mac_roman), count against. The best wins; a
   tie goes to the earlier charset (cp1252 first: latin-1 and ISO-8859-15
   files without €/œ have the very same bytes). A result with UTF-8 mojibake
   ("signÃ©": a UTF-8 file damaged beyond rule 2) or with too little French
   is refused, since decoding it would corrupt the text silently.

A statistical detector (charset-normalizer) picked mac_roman for a plain
cp1252 communiqué: with four candidates that differ on a dozen letters, an
explicit score of French letters is both simpler and right.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.formats import IngestError

MAX_INVALID_SHARE = 0.01
"""Largest share of invalid bytes replaced in a UTF-8 file; above it the file is refused."""

LEGACY_CHARSETS = {"cp1252": "cp1252", "latin_1": "latin-1", "iso8859_15": "iso-8859-15", "mac_roman": "mac-roman"}
"""Python codec -> the name recorded in ``documents.encoding``, in order of preference on a tie."""

_FRENCH = set("àâäçéèêëîïôöùûüÿœæÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ«»’‘“”€…–—°•·©®§²³\u00a0")
_CAPITAL_INSIDE_WORD = re.compile(r"(?<=[a-zàâäçéèêëîïôöùûü])[À-ÖØ-Þ]")
_VALID_UTF8 = re.compile(
    rb"(?:[\x00-\x7f]|[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2})+"
)
_SHOWN_OFFSETS = 10


@dataclass(frozen=True)
class Decoded:
    """A decoded text, the charset it came from (``utf-8``, ``cp1252``...) and what went wrong without stopping it."""

    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def decode_text(raw: bytes, source_path: str) -> Decoded:
    """Decode a text file by the rules of this module; ``IngestError`` for an empty, binary or undecodable file."""
    if not raw.strip():
        raise IngestError(source_path, "empty file")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return Decoded(raw.decode("utf-16"), "utf-16")
        except UnicodeDecodeError as exc:
            raise IngestError(source_path, f"invalid UTF-16 at byte {exc.start}") from exc
    if b"\x00" in raw[:4096]:
        raise IngestError(source_path, "binary file (NUL bytes), not text")
    try:
        return Decoded(raw.decode("utf-8-sig"), "utf-8")
    except UnicodeDecodeError:
        pass
    text, invalid, multibyte = _utf8_replacing(raw)
    if multibyte >= len(invalid) and len(invalid) <= MAX_INVALID_SHARE * len(raw):
        shown = ", ".join(map(str, invalid[:_SHOWN_OFFSETS])) + (", …" if len(invalid) > _SHOWN_OFFSETS else "")
        return Decoded(text, "utf-8", (f"{len(invalid)} invalid UTF-8 bytes replaced at offsets {shown}",))
    legacy = _best_legacy(raw)
    if legacy is not None:
        return legacy
    if multibyte:
        raise IngestError(
            source_path,
            f"invalid UTF-8 bytes at offset {invalid[0]} in an otherwise UTF-8 file: {len(invalid)} of {len(raw)} bytes,"
            f" too many to replace (more than {MAX_INVALID_SHARE:.0%} or more than the valid accented letters)",
        )
    raise IngestError(source_path, f"not decodable text: invalid UTF-8 at byte {invalid[0]} and no other charset reads as French")


def _utf8_replacing(raw: bytes) -> tuple[str, list[int], int]:
    """(text with U+FFFD for each invalid byte, offsets of the invalid bytes, number of valid multi-byte characters)."""
    parts: list[str] = []
    invalid: list[int] = []
    end = 0
    for run in _VALID_UTF8.finditer(raw):
        invalid.extend(range(end, run.start()))
        parts.append("\ufffd" * (run.start() - end))
        parts.append(run.group().decode("utf-8"))
        end = run.end()
    invalid.extend(range(end, len(raw)))
    parts.append("\ufffd" * (len(raw) - end))
    text = "".join(parts).removeprefix("\ufeff")
    multibyte = sum(1 for c in text if ord(c) > 127) - len(invalid)
    return text, invalid, multibyte


def _best_legacy(raw: bytes) -> Decoded | None:
    """The legacy charset whose decoding reads most like French, if one reads as French at all."""
    from pipeline.formats import mojibake

    best: tuple[int, Decoded] | None = None
    for codec, name in LEGACY_CHARSETS.items():
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        score, acceptable = _french_score(text)
        if acceptable and not mojibake.is_bad(text) and (best is None or score > best[0]):
            best = (score, Decoded(text, name))
    return best[1] if best else None


def _french_score(text: str) -> tuple[int, bool]:
    """(score, whether it reads as French): French non-ASCII letters and signs for, others and capitals inside
    words against; acceptable when at most a tenth of the non-ASCII characters are suspect."""
    non_ascii = [c for c in text if ord(c) > 127]
    good = sum(1 for c in non_ascii if c in _FRENCH)
    suspect = len(non_ascii) - good + len(_CAPITAL_INSIDE_WORD.findall(text))
    return good - 3 * suspect, good > 0 and suspect <= 0.1 * len(non_ascii)
