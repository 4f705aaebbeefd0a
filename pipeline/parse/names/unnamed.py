"""The CPTS a text is about when it never writes its name.

Local news often says only "la CPTS" and puts the place in the headline:
"Vitré. Les soignants libéraux se fédèrent", "Dordogne : en Bergeracois, les
soignants font bloc". A text is about one unnamed CPTS when it refers to
"la CPTS" (or "cette CPTS", "notre communauté professionnelle territoriale de
santé"...) at least twice and a maison or centre de santé is not what it
speaks of more. The CPTS is then named after the place of the headline: a
dateline opening the headline or the first lines ("Vitré.", "VITRÉ —"), else
a place after à / en / dans le in the headline, or its subject ("Le Pays
de Retz se dote d'une CPTS"). The place must be a commune
of the reference that the text does not also use as a lower-case word
("Plan", "Corps"), or the name of a pays ("Bergeracois", "Sarladais", "Pays
de Retz"); a
département or a région is too wide to be one CPTS's place.

Failing a headline place, the town the text gives as the CPTS's seat, in a
sentence about it ("la CPTS, basée à Fougères", "dont le siège est à
Redon"), names it: the main town of its territory. A text without either
gives no CPTS: any other town of the body may be named for another reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline import patterns
from pipeline.catalog import REFERENCE_DIR
from pipeline.keys import cpts_key
from pipeline.parse.names.mentions import is_demonym, wide_areas
from pipeline.parse.places.gazetteer import LEADING_ARTICLE, name_key, reference_name_keys
from pipeline.records import CptsName, NameSource
from pipeline.textnorm import fold, fold_same_length

_HEAD_LINES = 3
"""Lines of the text, after the headline, where a dateline may open the first paragraph."""


@lru_cache(maxsize=1)
def _rows() -> dict[str, list[dict]]:
    by_kind: dict[str, list[dict]] = {}
    for row in patterns.load("cpts_unnamed"):
        by_kind.setdefault(row["kind"], []).append(row)
    return by_kind


@lru_cache(maxsize=1)
def _reference() -> re.Pattern[str]:
    """Any reference to one CPTS: "la CPTS", "une CPTS vient de voir le jour"."""
    return re.compile("|".join(f"(?:{row['regex']})" for row in _rows()["singular_reference"]))


def _count(kind: str, folded: str) -> int:
    return sum(len(re.findall(row["regex"], folded)) for row in _rows()[kind])


def _is_about_one_cpts(folded: str) -> bool:
    references = _count("singular_reference", folded)
    return references >= _rows()["min_references"][0]["value"] and _count("other_structure", folded) < references


@lru_cache(maxsize=1)
def _newest_names() -> tuple[frozenset[str], frozenset[str]]:
    """(keys, keys without a leading article) of every name of the newest millésime of the reference.

    A municipal arrondissement is also known without the word ("Lyon 3e").
    The COG is read here, not through ``pipeline.normalise.cog``: parsing
    comes before normalisation and does not import it.
    """
    table = pq.read_table(REFERENCE_DIR / "communes.parquet", columns=["year", "nom", "type"])
    table = table.filter(pc.equal(table["year"], pc.max(table["year"])))
    keys: set[str] = set()
    bare: set[str] = set()
    for nom, kind in zip(table["nom"].to_pylist(), table["type"].to_pylist(), strict=True):
        for key, without_article in reference_name_keys(nom, kind == "arrondissement-municipal"):
            keys.add(key)
            bare.add(without_article)
    return frozenset(keys), frozenset(bare)


def _is_commune(place: str) -> bool:
    """A name of the newest millésime, up to case, accents, hyphens and a leading article on either side."""
    keys, bare = _newest_names()
    key = name_key(place)
    return key in keys or key in bare or name_key(LEADING_ARTICLE.sub("", place)) in keys


_PAYS = re.compile(r"Pays (?:de |du |des |d['’])[A-ZÀ-Ý]")
"""A pays written with its word ("Pays de Retz", "Pays d'Auge"): one CPTS's place, never a commune."""


def _is_place(place: str, text: str, folded: str) -> bool:
    """A commune that is no common word of the text, or the name of a pays; never a département or région."""
    bare = fold(place)
    if " ".join(re.findall(r"[a-z0-9]+", bare)) in wide_areas():
        return False
    if (" " not in bare and is_demonym(bare, final=False)) or _PAYS.match(place):
        return True
    return not _used_in_lower_case(place, text, folded) and _is_commune(place)


def _used_in_lower_case(place: str, text: str, folded: str) -> bool:
    """The text writes the place's name as a common word somewhere: "un plan", "les corps"."""
    pattern = rf"(?<![\w'’-]){re.escape(fold_same_length(place))}(?![\w-])"
    return any(text[m.start()].islower() for m in re.finditer(pattern, folded))


def _head(text: str, title: str | None) -> Iterator[tuple[str, int | None]]:
    """(line, its offset in the text or None) of the headline and the first lines of the text."""
    if title:
        offset = text.find(title)
        yield title, offset if offset >= 0 else None
    seen = 0
    for match in re.finditer(r"[^\n]+", text):
        if seen >= _HEAD_LINES + 1:
            break
        if match.group().strip() and match.group().strip() != (title or "").strip():
            seen += 1
            yield match.group(), match.start()


def _headline_place(text: str, title: str | None, folded: str) -> tuple[str, int | None, str] | None:
    """(place, its offset or None, rule) of the first place the head of the text gives."""
    lines = list(_head(text, title))
    for kind, only_title in (("dateline", False), ("in_headline", True)):
        for row in _rows()[kind]:
            for i, (line, offset) in enumerate(lines):
                if only_title and i > 0:
                    break
                for match in re.finditer(row["regex"], line, re.MULTILINE):
                    place = match.group("place").strip(" -’'")
                    if _is_place(place, text, folded):
                        return place, None if offset is None else offset + match.start("place"), row["id"]
    return None


def _seat_town(text: str, folded: str) -> tuple[str, int, str] | None:
    """(town, offset, rule) of the town a sentence about "la CPTS" gives as its seat: "la CPTS, basée à
    Fougères, ...", "la CPTS, dont le siège est à Redon"."""
    reference = _reference()
    for sentence in re.finditer(r"[^.!?\n]+", folded):
        if not reference.search(sentence.group()):
            continue
        for row in _rows()["seat"]:
            for match in re.finditer(row["regex"], text[sentence.start() : sentence.end()]):
                place = match.group("place").strip(" -’'")
                if _is_place(place, text, folded):
                    return place, sentence.start() + match.start("place"), row["id"]
    return None


def unnamed_cpts(text: str, title: str | None) -> CptsName | None:
    """The one CPTS a text speaks of without naming it, named after its headline's place, else after the
    town given as its seat; None otherwise."""
    folded = fold_same_length(text)
    if not _is_about_one_cpts(folded):
        return None
    source: NameSource = "headline_place"
    found = _headline_place(text, title, folded)
    if not found:
        source, found = "territory_town", _seat_town(text, folded)
    if not found:
        return None
    place, offset, rule = found
    if offset is None:
        first = _reference().search(folded)
        offset, end = first.span()
    else:
        end = offset + len(place)
    return CptsName(
        text=text[offset:end],
        char_start=offset,
        char_end=end,
        name="CPTS " + place,
        key=cpts_key(place),
        source=source,
        rule=rule,
    )
