"""The input side of a run: which files a raw folder holds, their ``doc_id``, and reading one.

A raw folder that does not exist, is a file, or holds no file that can be
opened is a ``RawFolderError`` before anything is written: a typo in its name
(``extract raww``) must not empty the tables, which a run makes match its
folder. A single file is refused rather than extracted, because the tables
describe one folder: extracting one file would either drop every other
document's rows or mix documents of different folders under paths relative
to different roots.
"""

from __future__ import annotations

import hashlib
import logging
import os
import stat
from dataclasses import dataclass, replace
from pathlib import Path

from pipeline.catalog import INPUT_SUFFIXES, REFERENCE_DIR
from pipeline.ingest import MAX_INPUT_BYTES, doc_id, ingest, too_large
from pipeline.records import DocId, SourceDocument

log = logging.getLogger(__name__)


class RawFolderError(ValueError):
    """The raw folder does not exist, is not a folder, or holds no readable file: nothing is written."""


def discover(raw_dir: Path) -> list[Path]:
    """Input files under ``raw_dir`` (recursively, not following directory links; the reference folder excluded).

    Links to files are listed (a dangling link or a link loop becomes a rejected
    document when read); a folder that cannot be listed is logged and skipped.
    """
    found = []

    def unlistable(exc: OSError) -> None:
        log.warning("cannot list %s: %s", exc.filename, exc.strerror)

    for folder, dirs, files in os.walk(raw_dir, onerror=unlistable, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and Path(folder, d) != REFERENCE_DIR)
        found.extend(Path(folder, f) for f in files if Path(f).suffix.lower() in INPUT_SUFFIXES and not f.startswith("."))
    return sorted(found)


@dataclass(frozen=True)
class InputFile:
    """An input file known by its ``doc_id``, not yet decoded: only the files not extracted before are."""

    path: Path
    source_path: str
    doc_id: DocId
    duplicate_paths: tuple[str, ...] = ()
    unreadable: str | None = None
    """Why the file could not be opened, if it could not."""


def _load(path: Path, raw_dir: Path) -> tuple[str, bytes | None, str | None]:
    """(source_path, raw bytes, why the file was not read); a file is read only when it can be.

    ``stat`` comes first: a FIFO would block the read and a huge file would be
    loaded whole.
    """
    rel = path.relative_to(raw_dir).as_posix()
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return rel, None, "not a regular file (a FIFO, socket or device)"
        if info.st_size > MAX_INPUT_BYTES:
            return rel, None, too_large(info.st_size)
        with path.open("rb") as handle:
            return rel, handle.read(MAX_INPUT_BYTES + 1), None
    except OSError as exc:
        return rel, None, f"unreadable file: {exc.strerror or exc.__class__.__name__}"


def _unreadable_id(rel: str) -> DocId:
    """A file not read has no bytes to hash: its ``doc_id`` is the hash of ``unreadable:<path>``, stable across runs."""
    return DocId(hashlib.sha256(f"unreadable:{rel}".encode()).hexdigest()[:16])


def _identify(path: Path, raw_dir: Path) -> InputFile:
    """Hash one file's bytes (its ``doc_id``) without decoding them; the bytes are not kept."""
    rel, raw, reason = _load(path, raw_dir)
    return InputFile(path=path, source_path=rel, doc_id=_unreadable_id(rel) if raw is None else doc_id(raw), unreadable=reason)


def read_file(path: Path, raw_dir: Path) -> SourceDocument:
    """Ingest one file; an unreadable, special or oversized one becomes a ``rejected`` document."""
    rel, raw, reason = _load(path, raw_dir)
    fmt = INPUT_SUFFIXES[path.suffix.lower()]
    if raw is None:
        return SourceDocument(
            doc_id=_unreadable_id(rel), source_path=rel, source_format=fmt, text="", status="rejected", error=reason
        )
    return ingest(raw, source_path=rel, source_format=fmt)


def _dedupe(files: list[InputFile]) -> list[InputFile]:
    """One document per distinct content; the other paths are recorded on it."""
    by_id: dict[str, InputFile] = {}
    for file in files:
        first = by_id.get(file.doc_id)
        if first is None:
            by_id[file.doc_id] = file
        else:
            by_id[file.doc_id] = replace(first, duplicate_paths=(*first.duplicate_paths, file.source_path))
    return list(by_id.values())


def check_raw_folder(raw_dir: Path) -> None:
    """``RawFolderError`` unless ``raw_dir`` is a folder (cheap: checked before the output folder is touched)."""
    if not raw_dir.exists():
        raise RawFolderError(f"the raw folder {raw_dir} does not exist: nothing extracted, the tables are unchanged")
    if not raw_dir.is_dir():
        raise RawFolderError(
            f"{raw_dir} is a file, not a folder: extract reads a folder of communiqués and makes the tables match it;"
            " to extract one file, put it in a folder of its own and give that folder (with its own --out)"
        )


def input_files(raw_dir: Path) -> list[InputFile]:
    """The input files of ``raw_dir``, hashed, one per distinct content; ``RawFolderError`` when there is none, or
    none can be opened."""
    check_raw_folder(raw_dir)
    files = [_identify(path, raw_dir) for path in discover(raw_dir)]
    if not files:
        suffixes = " ".join(sorted(INPUT_SUFFIXES))
        raise RawFolderError(f"no input file ({suffixes}) in {raw_dir}: nothing extracted, the tables are unchanged")
    if all(f.unreadable for f in files):
        raise RawFolderError(
            f"none of the {len(files)} input files in {raw_dir} can be read ({files[0].source_path}: {files[0].unreadable}):"
            " nothing extracted, the tables are unchanged"
        )
    return _dedupe(files)
