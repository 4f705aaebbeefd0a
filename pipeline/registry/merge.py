"""Which per-document CPTS rows are the same CPTS: the merge rule of the registry.

A CPTS is seen once per communiqué that is about it (a ``cpts`` row: a
``doc_id`` and a ``cpts_key``). Two sightings are one CPTS when:

1. **same key**: their ``cpts_key`` is equal and their départements are not
   disjoint. Homonyms ("CPTS du Val d'Allier" in the Allier and in the
   Puy-de-Dôme) have the same key but territories in different départements:
   they stay apart, and each gets its départements appended to its registry key
   (``val-d-allier--03``). A sighting with no known département joins its
   homonyms only when they are all one CPTS; otherwise it stays alone.
2. **acronym**: one key is a single word of 2 to 8 letters, written in
   capitals in the name, that is the initials of the other key's words (all words, or without the small words
   de, du, et, sur...): "CPTS VSM" and "CPTS du Val de Sèvre et Marais". Only when
   exactly one long name fits, with départements not disjoint.
3. **close names on the same territory**: a rapidfuzz ``token_set_ratio`` of
   the names without small words of at least ``NAME_MIN_SCORE`` AND a Jaccard
   index of their resolved territory communes of at least ``TERRITORY_MIN_JACCARD``
   (a renamed CPTS keeps its communes: "Val de Sèvre" → "Val de Sèvre et
   Marais"). 0.8 tolerates a territory that gained or lost a few communes
   between two communiqués (30 → 36 communes is 0.83), while two neighbouring
   CPTS share at most their border communes. Names alone never merge: two
   CPTS "du Haut Bugey" and "du Haut Jura" are two, and so are similar names
   on different territories.

Two different keys read in the same communiqué are never merged: the
communiqué itself says they are two CPTS. Every merge records why
(``merge_reason``).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

import numpy
from rapidfuzz import fuzz, process

from pipeline.textnorm import fold

NAME_MIN_SCORE = 80.0
"""Lowest ``token_set_ratio`` (0-100) of two names without small words for rule 3."""
TERRITORY_MIN_JACCARD = 0.8
"""Lowest Jaccard index of resolved territory communes for rule 3."""

SMALL_WORDS = frozenset("d de du des l la le les et en sur sous aux au a".split())
"""Words an acronym and a name comparison skip ("Val de Sèvre et Marais" -> VSM)."""
_ACRONYM = re.compile(r"^[a-z]{2,8}$")


@dataclass(frozen=True)
class Sighting:
    """One ``cpts`` row of an ``ok`` document: a CPTS as one communiqué names it."""

    doc_id: str
    cpts_key: str
    cpts_name: str
    departements: frozenset[str]
    communes: frozenset[str]
    recency: tuple[date, str]
    """(publication date, else signature date, else date.min; doc_id): larger is more recent."""


@dataclass
class Cluster:
    """Sightings found to be one CPTS, and the reasons they were merged."""

    sightings: list[Sighting]
    reasons: list[str] = field(default_factory=list)

    @property
    def keys(self) -> set[str]:
        return {s.cpts_key for s in self.sightings}

    @property
    def departements(self) -> frozenset[str]:
        return frozenset().union(*(s.departements for s in self.sightings))

    @property
    def communes(self) -> frozenset[str]:
        return frozenset().union(*(s.communes for s in self.sightings))

    @property
    def doc_ids(self) -> set[str]:
        return {s.doc_id for s in self.sightings}


def cluster_sightings(sightings: list[Sighting]) -> list[Cluster]:
    """The sightings grouped into CPTS by the three rules of the module docstring, in that order."""
    clusters = _same_key(sightings)
    clusters = _merge_pairs(clusters, _acronym_pairs(clusters))
    return _merge_pairs(clusters, _territory_pairs(clusters))


def _disjoint(a: frozenset[str], b: frozenset[str]) -> bool:
    return bool(a) and bool(b) and not a & b


def _same_key(sightings: list[Sighting]) -> list[Cluster]:
    """Rule 1: one cluster per key, split where départements are disjoint (homonyms)."""
    by_key: dict[str, list[Sighting]] = defaultdict(list)
    for s in sightings:
        by_key[s.cpts_key].append(s)
    clusters = []
    for key, group in by_key.items():
        known = [s for s in group if s.departements]
        unknown = [s for s in group if not s.departements]
        parts = _overlapping(known)
        if len(parts) <= 1:
            clusters.append(Cluster((parts[0] if parts else []) + unknown))
        else:
            clusters.extend(Cluster(part, [f"homonym: {key} is the name of {len(parts)} CPTS in different départements"])
                            for part in parts)
            clusters.extend(Cluster([s]) for s in unknown)
    for c in clusters:
        if len(c.doc_ids) > 1:
            c.reasons.append(f"same key {next(iter(c.keys))} in {len(c.doc_ids)} documents")
    return clusters


def _overlapping(sightings: list[Sighting]) -> list[list[Sighting]]:
    """Connected groups of sightings whose département sets overlap."""
    groups: list[list[Sighting]] = []
    for s in sightings:
        touching = [g for g in groups if any(s.departements & o.departements for o in g)]
        merged = [s] + [o for g in touching for o in g]
        groups = [g for g in groups if g not in touching] + [merged]
    return groups


def acronyms(key: str) -> set[str]:
    """Initials of a key's words, with and without small words: "val-de-sevre-et-marais" -> {vdsem, vsm}."""
    words = key.split("-")
    if len(words) < 2:
        return set()
    big = [w for w in words if w not in SMALL_WORDS]
    return {a for a in ("".join(w[0] for w in words), "".join(w[0] for w in big)) if len(a) >= 2}


def _compatible(a: Cluster, b: Cluster) -> bool:
    """Neither disjoint départements nor two different keys in one communiqué."""
    if _disjoint(a.departements, b.departements):
        return False
    shared = a.doc_ids & b.doc_ids
    return not shared or a.keys == b.keys


def _acronym_pairs(clusters: list[Cluster]) -> list[tuple[int, int, str]]:
    """Rule 2: (short, long, reason) when the short key is the initials of exactly one compatible long key."""
    by_acronym: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for i, c in enumerate(clusters):
        for key in c.keys:
            for acronym in acronyms(key):
                by_acronym[acronym].append((i, key))
    pairs = []
    for i, c in enumerate(clusters):
        for key in {s.cpts_key for s in c.sightings if _written_as_acronym(s)}:
            fits = {j: long for j, long in by_acronym.get(key, []) if j != i and _compatible(c, clusters[j])}
            if len(fits) == 1:
                (j, long), = fits.items()
                pairs.append((i, j, f"acronym: {key} is the initials of {long}"))
    return pairs


def _written_as_acronym(sighting: Sighting) -> bool:
    """The key is one short word the name writes in capitals ("CPTS VSM"), not a plain word ("CPTS Sud")."""
    return bool(_ACRONYM.match(sighting.cpts_key)) and any(
        word.isupper() and fold(word) == sighting.cpts_key for word in re.findall(r"\w+", sighting.cpts_name))


def _name_words(key: str) -> str:
    return " ".join(w for w in key.split("-") if w not in SMALL_WORDS)


def _territory_pairs(clusters: list[Cluster]) -> list[tuple[int, int, str]]:
    """Rule 3: pairs of clusters whose names are close and territories overlap.

    Candidates come from a prefix filter (Chaudhuri et al.'s set-similarity join):
    with the communes of every territory in one fixed order, two territories of
    Jaccard >= t share at least one of the first ``n - ceil(t * n) + 1`` communes of
    each; so only those prefixes are indexed, and the Jaccard is computed for
    the few pairs they give. The order is rarest commune first (then code), as
    the join prescribes: ordered by code alone, the prefixes of a département's
    territories all hold its first codes, and 2,000 documents gave seconds of
    useless pairs.

    The join runs on distinct territories, not clusters: hundreds of clusters
    may share one territory (an intercommunalité expanded into its communes),
    and their pairs are then all candidates. Their names are compared in one
    ``rapidfuzz.process.cdist`` call per pair of territories, which only
    screens them (a point below the floor, in case the scorer is not exactly
    symmetric); the pairs it keeps are scored and checked one by one as the rule says.
    """
    territories = [c.communes for c in clusters]
    members: dict[frozenset[str], list[int]] = defaultdict(list)
    for i, communes in enumerate(territories):
        members[communes].append(i)
    distinct = [t for t in members if t]
    frequency = Counter(code for communes in territories for code in communes)
    by_commune: dict[str, list[int]] = defaultdict(list)
    for k, communes in enumerate(distinct):
        ordered = sorted(communes, key=lambda code: (frequency[code], code))
        for code in ordered[: len(communes) - math.ceil(TERRITORY_MIN_JACCARD * len(communes)) + 1]:
            by_commune[code].append(k)
    candidates = {(k, l) for ids in by_commune.values() for k in ids for l in ids if k <= l}
    names = [sorted((key, _name_words(key)) for key in c.keys) for c in clusters]  # computed once, not per pair
    pairs = []
    for k, l in candidates:
        a, b = distinct[k], distinct[l]
        jaccard = len(a & b) / len(a | b)
        if jaccard < TERRITORY_MIN_JACCARD:
            continue
        for i, j in _close_names(members[a], members[b], names):
            score, ka, kb = max((fuzz.token_set_ratio(wx, wy), x, y) for x, wx in names[i] for y, wy in names[j])
            if score < NAME_MIN_SCORE or not _compatible(clusters[i], clusters[j]):
                continue
            pairs.append((i, j, f"close names {ka} ~ {kb} (score {score:.0f}) on the same territory (Jaccard {jaccard:.2f})"))
    return sorted(pairs)


_SCREEN_MIN = 64
"""Name pairs from which ``cdist`` screens: below, its per-call cost exceeds scoring every pair in Python."""


def _close_names(left: list[int], right: list[int], names: list[list[tuple[str, str]]]) -> set[tuple[int, int]]:
    """Pairs ``(i, j)``, ``i < j``, of a cluster of ``left`` and one of ``right`` having two names that may score
    ``NAME_MIN_SCORE``: all their names scored at once in C (``cdist``), one point of margin."""
    rows = [(i, words) for i in left for _, words in names[i]]
    cols = [(j, words) for j in right for _, words in names[j]]
    if len(rows) * len(cols) < _SCREEN_MIN:
        return {(min(i, j), max(i, j)) for i in left for j in right if i != j}
    scores = process.cdist([w for _, w in rows], [w for _, w in cols], scorer=fuzz.token_set_ratio,
                           score_cutoff=NAME_MIN_SCORE - 1, dtype=numpy.float64)
    close = set()
    for r, c in zip(*numpy.nonzero(scores), strict=True):
        i, j = rows[r][0], cols[c][0]
        if i != j:
            close.add((min(i, j), max(i, j)))
    return close


def _merge_pairs(clusters: list[Cluster], pairs: list[tuple[int, int, str]]) -> list[Cluster]:
    """Union-find over cluster indices; a pair that would join two keys of one communiqué is skipped."""
    parent = list(range(len(clusters)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    merged = {i: Cluster(list(c.sightings), list(c.reasons)) for i, c in enumerate(clusters)}
    for i, j, reason in pairs:
        ri, rj = root(i), root(j)
        if ri == rj or not _compatible(merged[ri], merged[rj]):
            continue
        parent[rj] = ri
        other = merged.pop(rj)
        merged[ri].sightings.extend(other.sightings)
        merged[ri].reasons.extend([*other.reasons, reason])
    return list(merged.values())
