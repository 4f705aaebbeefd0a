"""Near-duplicate documents: the same communiqué as text, HTML and PDF, or re-published with another header.

Byte-identical files are caught when files are read (``duplicate_paths``);
this catches copies whose bytes differ. Each document's normalised text is cut
into shingles of ``SHINGLE`` folded words; MinHash signatures banded into
``BANDS`` bands of ``ROWS`` values (locality-sensitive hashing) propose
candidate pairs, and a pair is a duplicate only when the exact Jaccard
similarity of the two shingle sets is at least ``THRESHOLD`` (LSH alone has
false positives). Signatures are datasketch 2.0's ``MinHash`` (scheme
``affine32``, seed 1, crc32) computed with numpy here, value for value, so
``documents.text_minhash`` of earlier runs stays comparable: importing
datasketch imports scipy (its LSH sizes the bands with an integral), about a
second that a run adding five communiqués should not pay. A text,
its HTML page and its two-column PDF share about 0.8-0.95 of their shingles;
two communiqués about different CPTS written from one template usually share
far less, because names, places, numbers and dates differ in most shingles.
A long template with few names can still pass the threshold, so text alone
never decides for two documents about different CPTS: when both documents
name CPTS (``Candidate.about``, the keys the run extracted) and no key is
shared, they are two communiqués whatever their similarity. A copy whose
extraction missed the CPTS (an empty ``about``) is still judged on its text.

Groups are closed transitively, and each group's canonical copy is the one an
analyst would cite: plain text first (txt, md), then HTML, then PDF; ties go
to the smaller ``doc_id`` so the choice is deterministic. Every other member
gets ``same_as`` = the canonical ``doc_id``; rows stay, flagged, and summaries
count the group once.
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.textnorm import words

SHINGLE = 5
"""Words per shingle: long enough that two texts from one template differ, short enough to survive re-layout."""

THRESHOLD = 0.7
"""Exact Jaccard of shingle sets above which two documents are one communiqué."""

PERMUTATIONS = 64
"""MinHash size: enough for candidate pairs at ``THRESHOLD``; the exact Jaccard decides."""

BANDS, ROWS = 8, 8
"""LSH bands of a signature and values per band: two documents are a candidate pair when one band is equal.
datasketch's ``MinHashLSH(threshold=0.7, num_perm=64)`` chooses these (equal weights on false positives and
false negatives), so the candidate pairs are the ones it proposed."""

_FORMAT_RANK = {"txt": 0, "md": 0, "html": 1, "pdf": 2}


@dataclass(frozen=True, slots=True)
class Candidate:
    """What near-duplicate detection needs of one readable document."""

    doc_id: str
    source_format: str
    text: str
    about: frozenset[str] = frozenset()
    """Keys of the CPTS the document is about (``cpts.cpts_key``); empty when none was found."""
    signature: tuple[int, ...] | None = None
    """``signature(text)`` when already known (``documents.text_minhash`` of an earlier run)."""


def _other_cpts(a: Candidate, b: Candidate) -> bool:
    """Both documents name CPTS and none is the same: two communiqués, not one copied."""
    return bool(a.about and b.about and not a.about & b.about)


def _shingles(text: str) -> set[bytes]:
    tokens = words(text)
    if len(tokens) < SHINGLE:
        return {" ".join(tokens).encode()} if tokens else set()
    return {" ".join(tokens[i : i + SHINGLE]).encode() for i in range(len(tokens) - SHINGLE + 1)}


def _affine32(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's ``affine32`` permutations h -> a*h + b mod 2^32 (odd ``a``) drawn from numpy's legacy
    ``RandomState``, whose stream numpy keeps stable across versions."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, PERMUTATIONS, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    return a, gen.randint(0, 1 << 32, PERMUTATIONS, dtype=np.uint32)


_A, _B = _affine32(seed=1)


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's finalizer, which datasketch applies to each input hash before permuting it."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def signature(text: str) -> tuple[int, ...] | None:
    """The MinHash signature of a text's shingles (``documents.text_minhash``); None for a text without words."""
    own = _shingles(text)
    if not own:
        return None
    hashes = _fmix32(np.fromiter((zlib.crc32(s) for s in own), np.uint32, len(own)))  # crc32: C-fast, deterministic
    return tuple((hashes[:, None] * _A + _B).min(axis=0).tolist())  # uint32 arithmetic wraps: mod 2^32


def _jaccard(a: set[bytes], b: set[bytes]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def same_as(documents: Iterable[Candidate], text_of: Callable[[str], str] | None = None) -> dict[str, str]:
    """``doc_id`` -> ``doc_id`` of its canonical copy, for every document that is a near-duplicate of another.

    Only each document's MinHash signature is kept; the shingles of a
    candidate pair are cut again when the pair is checked (few pairs, a small
    cache), so memory does not grow with the shingles of the whole corpus.
    ``text_of`` gives a document's text when the candidates do not hold it
    (a run reads it from disk, for the few documents of candidate pairs).
    """
    docs = sorted(documents, key=lambda d: (_FORMAT_RANK.get(d.source_format, 3), d.doc_id))
    by_id = {d.doc_id: d for d in docs}
    text = text_of or (lambda doc_id: by_id[doc_id].text)
    rank = {d.doc_id: i for i, d in enumerate(docs)}
    shingles_of = lru_cache(maxsize=64)(lambda doc_id: _shingles(text(doc_id)))
    bands: list[dict[tuple[int, ...], list[str]]] = [defaultdict(list) for _ in range(BANDS)]
    parent: dict[str, str] = {}

    def root(doc_id: str) -> str:
        while parent.get(doc_id, doc_id) != doc_id:
            doc_id = parent[doc_id]
        return doc_id

    for doc in docs:
        values = doc.signature or signature(text(doc.doc_id))
        if values is None:
            continue
        keys = [tuple(values[i * ROWS : (i + 1) * ROWS]) for i in range(BANDS)]
        for other in sorted({other for band, key in zip(bands, keys) for other in band.get(key, ())}):
            if not _other_cpts(doc, by_id[other]) and _jaccard(shingles_of(doc.doc_id), shingles_of(other)) >= THRESHOLD:
                a, b = root(other), root(doc.doc_id)
                if a != b:
                    first, then = sorted((a, b), key=rank.__getitem__)
                    parent[then] = first  # the better-ranked copy stays the root: the canonical one
        for band, key in zip(bands, keys):
            band[key].append(doc.doc_id)
    return {d.doc_id: root(d.doc_id) for d in docs if root(d.doc_id) != d.doc_id}


def flag_near_duplicates(documents: pa.Table, cpts: pa.Table | None = None) -> pa.Table:
    """``documents`` with ``same_as`` filled from its own texts (rejected rows are never duplicates).

    ``text_minhash`` is made with each documents row (``pipeline.normalise``, in
    the main process while the workers parse), so only a table from elsewhere
    with empty signatures costs shingling here.

    ``cpts`` (the run's ``cpts`` table) tells which CPTS each document is about, so that two communiqués
    from one template about different CPTS are never taken for copies.
    """
    about: dict[str, set[str]] = {}
    if cpts is not None:
        for doc_id, key in zip(cpts["doc_id"].to_pylist(), cpts["cpts_key"].to_pylist()):
            about.setdefault(doc_id, set()).add(key)
    rows = documents.select(["doc_id", "source_format", "status", "text", "text_minhash"]).to_pylist()
    for row in rows:
        if row["text_minhash"] is None and row["status"] != "rejected":
            row["text_minhash"] = signature(row["text"])
    found = same_as(
        Candidate(r["doc_id"], r["source_format"], r["text"], frozenset(about.get(r["doc_id"], ())), r["text_minhash"])
        for r in rows
        if r["status"] != "rejected"
    )
    for name, values in (("same_as", [found.get(r["doc_id"]) for r in rows]), ("text_minhash", [r["text_minhash"] for r in rows])):
        field = documents.schema.field(name)
        documents = documents.set_column(documents.schema.get_field_index(name), field, pa.array(values, field.type))
    return documents


COLUMNS = ["doc_id", "source_format", "status", "text_minhash"]
"""The ``documents`` columns ``copies_of`` reads."""


def copies_of(documents: Iterable[pa.Table], cpts: Iterable[pa.Table], texts: Sequence[Path]) -> dict[str, str]:
    """``same_as`` of a run's documents, read from chunks of a few columns (``COLUMNS`` of ``documents``, ``doc_id``
    and ``cpts_key`` of ``cpts``) rather than from whole tables.

    The texts are never held: a document's text is read from the
    ``documents`` Parquet files ``texts`` only when it is in a candidate pair
    (rare) or has no signature; row-group statistics keep that read to one
    row group, the files being sorted by ``doc_id``.
    """
    about: dict[str, set[str]] = {}
    for chunk in cpts:
        for doc_id, key in zip(chunk["doc_id"].to_pylist(), chunk["cpts_key"].to_pylist()):
            about.setdefault(doc_id, set()).add(key)
    candidates = [
        Candidate(doc_id, source_format, "", frozenset(about.get(doc_id, ())), values)
        for chunk in documents
        for doc_id, source_format, status, values in zip(*(chunk[c].to_pylist() for c in COLUMNS))
        if status != "rejected"
    ]

    def text_of(doc_id: str) -> str:
        for path in texts:
            found = pq.read_table(path, columns=["text"], filters=[("doc_id", "==", doc_id)])
            if found.num_rows:
                return found["text"][0].as_py()
        return ""

    return same_as(candidates, text_of)
