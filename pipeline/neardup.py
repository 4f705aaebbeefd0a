"""Near-duplicate documents: the same communiqué as text, HTML and PDF, or re-published with another header.

Byte-identical files are caught when files are read (``duplicate_paths``);
this catches copies whose bytes differ. Each document's normalised text is cut
into shingles of ``SHINGLE`` folded words; a MinHash LSH index (datasketch,
a well-kept implementation of the banding scheme) proposes candidate pairs,
and a pair is a duplicate only when the exact Jaccard similarity of the two
shingle sets is at least ``THRESHOLD`` (LSH alone has false positives). A text,
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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from datasketch import MinHash, MinHashLSH

from pipeline.textnorm import words

SHINGLE = 5
"""Words per shingle: long enough that two texts from one template differ, short enough to survive re-layout."""

THRESHOLD = 0.7
"""Exact Jaccard of shingle sets above which two documents are one communiqué."""

PERMUTATIONS = 64
"""MinHash size: enough for candidate pairs at ``THRESHOLD``; the exact Jaccard decides."""

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


SCHEME = "affine32"
"""datasketch's permutation scheme, named so that stored signatures stay comparable whatever its default becomes."""
_PERMUTATIONS = MinHash(num_perm=PERMUTATIONS, seed=1, scheme=SCHEME).permutations


def signature(text: str) -> tuple[int, ...] | None:
    """The MinHash signature of a text's shingles (``documents.text_minhash``); None for a text without words."""
    own = _shingles(text)
    if not own:
        return None
    minhash = MinHash(num_perm=PERMUTATIONS, seed=1, hashfunc=zlib.crc32, permutations=_PERMUTATIONS, scheme=SCHEME)  # crc32: C-fast, deterministic
    minhash.update_batch(list(own))
    return tuple(int(v) for v in minhash.hashvalues)


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
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=PERMUTATIONS)
    parent: dict[str, str] = {}

    def root(doc_id: str) -> str:
        while parent.get(doc_id, doc_id) != doc_id:
            doc_id = parent[doc_id]
        return doc_id

    for doc in docs:
        values = doc.signature or signature(text(doc.doc_id))
        if values is None:
            continue
        minhash = MinHash(num_perm=PERMUTATIONS, seed=1, hashvalues=values, permutations=_PERMUTATIONS, scheme=SCHEME)
        for other in sorted(lsh.query(minhash)):
            if not _other_cpts(doc, by_id[other]) and _jaccard(shingles_of(doc.doc_id), shingles_of(other)) >= THRESHOLD:
                a, b = root(other), root(doc.doc_id)
                if a != b:
                    first, then = sorted((a, b), key=rank.__getitem__)
                    parent[then] = first  # the better-ranked copy stays the root: the canonical one
        lsh.insert(doc.doc_id, minhash)
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
