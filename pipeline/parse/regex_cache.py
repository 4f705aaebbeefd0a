"""spaCy's French ``TOKEN_MATCH`` regex, compiled once per machine instead of once per process.

Why: ``spacy.lang.fr.tokenizer_exceptions`` builds, at import, one regex of
1.4 million characters (every hyphenated and elided exception spelled out
with whole Unicode letter classes) and compiles it with ``re``: 5-7 s of
the 2-vCPU machine, paid by every process that loads French (the main
process and every parse worker), for a run that may then parse five
documents in a second (spaCy issues #3023, #3046). Nothing in spaCy's
settings avoids it, and the tokenisation must stay the model's own.

How: ``re`` keeps a process-wide cache of compiled patterns keyed by
``(type, pattern, flags)``, and a compiled pattern is rebuilt exactly from
its compiled code (what ``re._compiler.compile`` hands to
``_sre.compile``). The first process to load French writes that code to
``CACHE_DIR`` (keyed by the Python build, the ``_sre`` magic number and the
spaCy version); later processes read it and put the pattern in ``re``'s
cache before spaCy imports French, so spaCy's own ``re.compile`` of the same
string returns it at once. The pattern is the very one ``re`` would build
from the same string and code: the tokens cannot differ
(``tests/test_regex_cache.py`` compares them on the shipped texts).

Any mismatch (another Python, a corrupt or missing file, a spaCy whose
pattern string differs, an ``re`` without the cache) falls back to the
ordinary compile, so this can only ever cost the time it was meant to save.
"""

from __future__ import annotations

import hashlib
import logging
import re
import sys
from array import array
from pathlib import Path

import _sre

from pipeline.catalog import ROOT
from pipeline.disk_cache import cache_path, load, store

log = logging.getLogger(__name__)

_FRENCH = "spacy.lang.fr.tokenizer_exceptions"


def _cache_file(cache_dir: Path) -> Path:
    import spacy

    key = hashlib.sha256(f"{sys.version}|{_sre.MAGIC}|{spacy.__version__}".encode()).hexdigest()[:16]
    return cache_dir / f"spacy-fr-token-match-{key}.pickle"


def compiled_code(pattern: str, flags: int = 0) -> dict:
    """What ``re._compiler.compile`` computes for ``pattern`` before handing it to ``_sre.compile``."""
    from re import _compiler, _parser

    parsed = _parser.parse(pattern, flags)
    indexgroup = [None] * parsed.state.groups
    for name, index in parsed.state.groupdict.items():
        indexgroup[index] = name
    return {
        "pattern": pattern,
        "flags": flags | parsed.state.flags,
        "code": array("I", _compiler._code(parsed, flags)),  # opcodes are int subclasses that do not pickle
        "groups": parsed.state.groups - 1,
        "groupindex": dict(parsed.state.groupdict),
        "indexgroup": tuple(indexgroup),
    }


def from_code(data: dict) -> re.Pattern:
    """The compiled pattern rebuilt from ``compiled_code``'s output, as ``re._compiler.compile`` builds it."""
    return _sre.compile(
        data["pattern"], data["flags"], data["code"].tolist(), data["groups"], data["groupindex"], data["indexgroup"]
    )


def seed_french_token_match(cache_dir: Path) -> bool:
    """Put the cached French ``TOKEN_MATCH`` in ``re``'s cache before spaCy compiles it.

    True when spaCy will not compile it: seeded, or French already loaded in
    this process (a second model load); False when the next load compiles it.
    """
    if _FRENCH in sys.modules:
        return True
    if not isinstance(getattr(re, "_cache", None), dict):
        return False
    try:
        data = load(_cache_file(cache_dir))
        re._cache[(str, data["pattern"], 0)] = from_code(data)
    except Exception as exc:  # no cache yet, or one this Python cannot use: spaCy compiles as usual
        log.debug("French TOKEN_MATCH not taken from the cache (%s: %s)", type(exc).__name__, exc)
        return False
    return True


def remember_french_token_match(cache_dir: Path) -> None:
    """After spaCy loaded French without the cache: write the compiled code of its ``TOKEN_MATCH``.

    Costs one more compile, once per machine and spaCy version (or after the
    file was found unusable, which it replaces); written as every cache file
    (``pipeline.disk_cache.store``: renamed into place, so parallel workers never
    read half a file; a read-only folder only costs the next start its compile).
    """
    module = sys.modules.get(_FRENCH)
    if module is None:
        return
    store(_cache_file(cache_dir), compiled_code(module.TOKEN_MATCH.__self__.pattern, 0))


_STARTUP = "re-patterns"
_USUAL_SIZE = getattr(re, "_MAXCACHE", 512)
_KEEP = 8192
"""``re``'s cache size while a process that found no file starts (512 by default): every pattern compiled before
its first document stays in it, to be written at the end of the warm-up (a run's main process that leaves the
parse to workers keeps it for that run)."""
_seeded = [0]
"""How many patterns this process took from the file (none: it writes the file after its warm-up)."""


def _startup_file(cache_dir: Path) -> Path:
    """One file per version of the package's code and patterns, written once: patterns the code no longer compiles
    do not pile up, and a pattern built anew by each process (from a set's order) is not rewritten each time."""
    sources = sorted(p for p in (ROOT / "pipeline").rglob("*") if p.suffix in (".py", ".jsonl"))
    return cache_path(f"{_STARTUP}-{_sre.MAGIC}", sources, cache_dir)


def seed_startup_patterns(cache_dir: Path) -> int:
    """Put in ``re``'s cache every pattern the first process of this code compiled before its first document.

    Why: the components and spaCy compile some 750 patterns at import and
    on first use (the places' alternations of every département name, the
    prefilters, spaCy's prefixes and infixes): about 0.5 s CPU per process.
    Their compiled code is read back in 0.02 s, and ``re.compile`` of the
    same string and flags then returns the pattern at once: the very pattern
    it would have built (``compiled_code``), so no match can differ. A
    pattern missing from the file is compiled as usual. Returns how many
    were seeded.
    """
    if not isinstance(getattr(re, "_cache", None), dict) or not isinstance(getattr(re, "_MAXCACHE", None), int):
        return 0
    try:
        entries = load(_startup_file(cache_dir))
        patterns = {(str, data["pattern"], flags): from_code(data) for flags, data in entries}
    except Exception as exc:  # no file yet for this code, or one this Python cannot use: compiled and recorded
        log.debug("start-up patterns not taken from the cache (%s: %s)", type(exc).__name__, exc)
        re._MAXCACHE = max(re._MAXCACHE, _KEEP)
        return 0
    for key, pattern in patterns.items():
        re._cache.setdefault(key, pattern)
    _seeded[0] = len(patterns)
    return len(patterns)


def remember_startup_patterns(cache_dir: Path) -> None:
    """After the warm-up of a process that found no file for its code: write the code of the patterns compiled so
    far. The French ``TOKEN_MATCH`` has its own file (``remember_french_token_match``). ``re``'s cache returns
    to its usual size, so the documents' own patterns do not stay."""
    if not isinstance(getattr(re, "_cache", None), dict):
        return
    re._MAXCACHE = _USUAL_SIZE
    if _seeded[0]:
        return
    french = sys.modules.get(_FRENCH)
    skip = french.TOKEN_MATCH.__self__.pattern if french is not None else None
    keys = [(pattern, flags) for kind, pattern, flags in list(re._cache) if kind is str and pattern != skip]
    store(_startup_file(cache_dir), [(flags, compiled_code(pattern, flags)) for pattern, flags in keys])
    _seeded[0] = len(keys)
