"""Every commune name of the reference, found wherever it stands: one word-level matcher built once per process.

A name is a sequence of folded words: "Saint-Genis-l'Argentière", "St Genis
l’Argentiere" and "SAINT-GENIS-L'ARGENTIERE" are all ``saint genis l
argentiere``, the words of ``pipeline.normalise.cog.place_key`` (case,
accents, ’/', St/Ste, hyphens/spaces) kept apart so that a match stops at a
word boundary. Every name of every millésime is indexed (delegated and
associated communes too, since writers keep old names), and also without
its leading article ("du Lamentin" names Le Lamentin).

The matcher is a dict of names and a set of their word prefixes, walked
from each capitalised word of the text: the cost is a few set look-ups per
capitalised word (about 0.2 ms for a 4,000-character communiqué), with no
dependency; an Aho-Corasick automaton would scan every character of the
text for the same result.

A hit only says "this is a commune name"; ``lists`` decides what it is
doing there. Names that are also common words ("Corps", "Plan", "Vue",
``places_common_names.jsonl``), that name a département or a région ("Mayenne",
"Bretagne"), or that the text also writes in lower case
(a capitalised "Mars" opening a sentence in a text that says "en mars") are
marked ``common``: they never count towards making a list.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import numpy
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline import patterns, textnorm
from pipeline.catalog import REFERENCE_DIR
from pipeline.disk_cache import cached
from pipeline.parse.places.vocab import departements_names, regions_names
from pipeline.textnorm import fold_same_length

_WORD = re.compile(r"[a-z0-9œæ]+")
_SAINT = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
_ARTICLES = frozenset({"le", "la", "les", "l"})
_JOINER = re.compile(r"(?:\s?[-\u2010-\u2015]\s?|[ \t]|['’] ?)")
"""What may stand between two words of one name: a hyphen (a PDF may leave "Saint- Étienne"), a space, an
apostrophe. A comma, a full stop or a line break ends the name."""

Words = tuple[str, ...]


LEADING_ARTICLE = re.compile(r"^(?:les\s+|le\s+|la\s+|l['’]\s*)", re.IGNORECASE)
"""A leading article, so "Abymes" finds Les Abymes (not "s Abymes") and "Lens" keeps its "Le": the text side
(``pipeline.parse.names``) and the reference side (``pipeline.normalise.cog_index``) drop it the same way."""
_POSTPOSED_ARTICLE = re.compile(r"^(?P<name>.+?)\s*\((?P<article>l'|le|la|les)\)\s*$", re.IGNORECASE)
EPCI_NOISE = frozenset(
    "communaute communautes communes commune agglomeration agglo urbaine metropole cc ca cu "
    "de du des d la le les l et en".split()
)
"""Words of an intercommunalité's name that are its legal form or small words: "CC du Pays d'Urfé" is
``pays urfe`` whether the text writes "communauté de communes du Pays d'Urfé" or "CC Pays d'Urfé"."""


def name_words(name: str) -> Words:
    """The folded words of a name: "saint" for "St", "sur" for "s/", a postposed article put first ("Bessat
    (Le)" is Le Bessat): "St-Genis-l'Argentière" -> saint, genis, l, argentiere.

    ``name_key`` (the resolver's ``place_key``) is these words joined, so the
    gazetteer and the resolver read a name the same way."""
    postposed = _POSTPOSED_ARTICLE.match(name.strip())
    if postposed:
        name = f"{postposed['article']} {postposed['name']}"
    folded = fold_same_length(name).replace("œ", "oe").replace("æ", "ae").replace("s/", "sur ")
    return tuple(_SAINT.get(w, w) for w in re.findall(r"[a-z0-9]+", folded))


def name_key(name: str) -> str:
    """The look-up key of a commune name: its words joined ("St-Genis-l'Argentière" -> ``saintgenislargentiere``)."""
    return "".join(name_words(name))


def reference_name_keys(nom: str, arrondissement: bool) -> tuple[tuple[str, str], ...]:
    """(key, key without a leading article) of each name a reference commune is found under; a municipal
    arrondissement is also found without the word ("Lyon 3e" for "Lyon 3e Arrondissement"). The resolver's
    index (``pipeline.normalise.cog_index``) and the parse stage's commune test (``parse.names.unnamed``)
    both key the reference with it."""
    names = [nom]
    if arrondissement:
        names.append(re.sub(r"\s*arrondissement\s*$", "", nom, flags=re.IGNORECASE))
    known = _reference_words()
    return tuple((_known_key(n, known), _known_key(LEADING_ARTICLE.sub("", n), known)) for n in names)


def _known_key(name: str, known: dict[str, Words]) -> str:
    words = known.get(name)
    return "".join(name_words(name) if words is None else words)


_SOURCES = (REFERENCE_DIR / "communes.parquet", Path(__file__), Path(textnorm.__file__))
"""What decides the names' words: the reference's names and the code that folds them (``pipeline.disk_cache``)."""


@cache
def _reference_words() -> dict[str, Words]:
    """``name_words`` of every distinct commune name of the reference (all millésimes), computed once per machine
    (``pipeline.disk_cache``): the gazetteer, the resolver's index (``pipeline.normalise.cog_index``) and the parse
    stage's commune test (``parse.names.unnamed``) all read these 35,000 names, which cost about 0.3 s CPU each time."""
    return cached("reference-words", _SOURCES, _build_reference_words)


def _build_reference_words() -> dict[str, Words]:
    names = pq.ParquetFile(REFERENCE_DIR / "communes.parquet").read(columns=["nom"]).column("nom")
    return {nom: _interned(name_words(nom)) for nom in pc.unique(names).to_pylist()}


def _interned(words: Words) -> Words:
    """The words as the interpreter's shared strings: pickled once each, so the cache reads back fast."""
    return tuple(sys.intern(w) for w in words)


def epci_name_key(name: str) -> str:
    """The look-up key of an intercommunalité's name: its words without legal form and small words."""
    return " ".join(w for w in name_words(name) if w not in EPCI_NOISE)


_EPCI_TYPE_WORDS = {
    "CC": ("communaute de communes", "communautes de communes", "cc"),
    "CA": ("communaute d'agglomeration", "communautes d'agglomeration", "ca", "agglomeration"),
    "CU": ("communaute urbaine", "communautes urbaines", "cu"),
    "METRO": ("metropole",),
}


def epci_type(name: str) -> str | None:
    """The legal form named in an EPCI mention (CC, CA, CU, METRO), if any."""
    text = " " + " ".join(re.findall(r"[a-z0-9']+", fold_same_length(name))) + " "
    for code, words in _EPCI_TYPE_WORDS.items():
        if any(f" {w} " in text for w in words):
            return code
    return None


@cache
def epci_keys() -> frozenset[str]:
    """The keys of every intercommunalité name of ``raw/reference/epci.parquet`` (all millésimes)."""
    names = pq.ParquetFile(REFERENCE_DIR / "epci.parquet").read(columns=["nom"])["nom"].to_pylist()
    return frozenset(epci_name_key(n) for n in set(names))


@dataclass(frozen=True, slots=True)
class Hit:
    """A commune name found in the text: its span, its words and the départements of the communes bearing it."""

    start: int
    end: int
    words: Words
    departements: frozenset[str]
    common: bool


class Gazetteer:
    """Commune names (as word tuples) -> départements, with the set of their proper prefixes."""

    def __init__(self, names: dict[Words, frozenset[str]], common: frozenset[Words]) -> None:
        self.names = names
        self.prefixes = {words[:n] for words in names for n in range(1, len(words))}
        self.common = common

    def find(self, text: str) -> list[Hit]:
        """Every longest commune name of ``text`` that starts with a capital letter, in text order."""
        tokens, lowered = _words_of(text)
        out: list[Hit] = []
        i = 0
        while i < len(tokens):
            hit = self._longest(text, tokens, i) if text[tokens[i][0]].isupper() else None
            if hit is None:
                i += 1
                continue
            j, words = hit
            start, end = tokens[i][0], tokens[j][1]
            common = words in self.common or (len(words) == 1 and words[0] in lowered)
            out.append(Hit(start, end, words, self.names[words], common))
            i = j + 1
        return out

    def _longest(self, text: str, tokens: list[tuple[int, int, str]], i: int) -> tuple[int, Words] | None:
        """``(index of the last token, words)`` of the longest name starting at token ``i``, if any."""
        start = tokens[i][0]
        if not text[start].isupper() or (start > 0 and text[start - 1] in "-\u2010\u2011" and text[start - 2 : start - 1].isalpha()):
            return None
        best = None
        words: Words = ()
        for j in range(i, len(tokens)):
            if j > i and not _JOINER.fullmatch(text[tokens[j - 1][1] : tokens[j][0]]):
                break
            words = (*words, tokens[j][2])
            if words in self.names and not _continues(text, tokens[j][1]):
                best = (j, words)
            if words not in self.prefixes:
                break
        return best


@lru_cache(maxsize=1)
def _words_of(text: str) -> tuple[list[tuple[int, int, str]], set[str]]:
    """``(start, end, folded word)`` of every word of ``text``, and the words it writes in lower case: read once
    per text, for the communes' and the intercommunalités' gazetteers alike. Not to be mutated."""
    folded = fold_same_length(text)
    tokens = [(m.start(), m.end(), _SAINT.get(w := m.group().replace("œ", "oe").replace("æ", "ae"), w))
              for m in _WORD.finditer(folded)]
    return tokens, {w for (s, _, w) in tokens if text[s].islower()}


def _continues(text: str, end: int) -> bool:
    """True when the name goes on after ``end`` with a hyphen ("Saint-Martin" in "Saint-Martin-Foo")."""
    return text[end : end + 1] in ("-", "\u2010", "\u2011") and text[end + 1 : end + 2].isalpha()


@cache
def gazetteer() -> Gazetteer:
    """The matcher over every commune name of ``raw/reference/communes.parquet`` (all millésimes), built once per
    machine (``pipeline.disk_cache``: about 1 s CPU per process otherwise); its common names are read each time
    from ``patterns``."""
    names = cached("gazetteer-names", _SOURCES, _gazetteer_names)
    common = frozenset(
        name_words(name)
        for name in [*(row["name"] for row in patterns.load("places_common_names")), *departements_names(), *regions_names()]
    )
    return Gazetteer(names, common)


def _gazetteer_names() -> dict[Words, frozenset[str]]:
    """Every name's words (also without a leading article) -> the départements of the communes bearing it."""
    table = pq.ParquetFile(REFERENCE_DIR / "communes.parquet").read(columns=["nom", "departement", "type"]).combine_chunks()
    noms, departements, kinds = (pc.dictionary_encode(table[c].chunk(0)) for c in ("nom", "departement", "type"))
    departement_names = [d or "" for d in departements.dictionary.to_pylist()]
    # the distinct (name, département) pairs, in numpy: 300,000 rows of eight millésimes -> 38,000 pairs
    width = len(departement_names) + 1
    codes = noms.indices.to_numpy().astype(numpy.int64) * width + departements.indices.fill_null(width - 1).to_numpy()
    arrondissement = kinds.indices.to_numpy() == kinds.dictionary.index("arrondissement-municipal").as_py()
    pairs = numpy.unique(codes[~arrondissement])
    known = _reference_words()
    words_of = [known[nom] for nom in noms.dictionary.to_pylist()]
    departement_names.append("")  # a row without département
    names: dict[Words, set[str]] = {}
    for pair in pairs.tolist():
        words, departement = words_of[pair // width], departement_names[pair % width]
        variants = [words, words[1:]] if len(words) > 1 and words[0] in _ARTICLES else [words]
        for variant in variants:
            names.setdefault(variant, set()).add(departement)
    shared: dict[frozenset[str], frozenset[str]] = {}  # 1,500 distinct sets for 37,000 names: pickled once each
    return {words: shared.setdefault(frozenset(d), frozenset(d)) for words, d in names.items()}
