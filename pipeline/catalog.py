"""Every path the pipeline reads or writes, in one place (like Kedro's catalog).

Stages never open files; the CLI asks the catalog where things are.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RAW_DIR = ROOT / "raw"
OUT_DIR = ROOT / "extracted"
REFERENCE_DIR = RAW_DIR / "reference"
GOLD_DIR = ROOT / "tests" / "gold"
SCHEMAS_README = ROOT / "schemas" / "README.md"
CACHE_DIR = Path(os.environ.get("CPTS_EXTRACT_CACHE", ROOT / ".cache"))
"""What is slow to build and the same on every run (the compiled regexes of spaCy's French and of a process's
start, the gazetteer and the commune index: ``pipeline.parse.regex_cache``, ``pipeline.disk_cache``): rebuilt when
missing, stale or damaged, safe to delete. ``CPTS_EXTRACT_CACHE`` moves it (a read-only checkout, a shared disk)."""

INPUT_SUFFIXES = {".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".pdf": "pdf"}
"""File endings read as communiqués, and the ``source_format`` each gets."""


@dataclass(frozen=True)
class OutputCatalog:
    """Where one run writes: the tables, the manifest, the lock."""

    out_dir: Path

    def table(self, name: str) -> Path:
        return self.out_dir / f"{name}.parquet"

    @property
    def manifest(self) -> Path:
        return self.out_dir / "manifest.parquet"

    @property
    def lock(self) -> Path:
        return self.out_dir / ".lock"
