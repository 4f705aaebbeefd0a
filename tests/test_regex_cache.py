"""spaCy's French ``TOKEN_MATCH`` taken from the on-disk cache tokenises exactly as spaCy's own compile."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from pipeline.catalog import RAW_DIR
from pipeline.parse.regex_cache import compiled_code, from_code

PATTERNS = [
    pytest.param(r"(?iu)^saint[-‐](?:l['’])?[a-zà-ÿ]+$", ["Saint-Étienne", "saint-l’Abbaye", "Sainte"], id="ignorecase-unicode-classes"),
    pytest.param(r"(?P<day>\d{1,2})\s+(?P<month>[a-zéû]+)\s+(\d{4})", ["le 3 février 2024", "12 mai"], id="named-and-numbered-groups"),
    pytest.param(r"^(?:a|b)+?c{2,}$|x*", ["aabcc", "abc", "xx", ""], id="lazy-repeat-and-alternation"),
]


@pytest.mark.parametrize(("pattern", "samples"), PATTERNS)
def test_a_pattern_rebuilt_from_its_code_behaves_as_re_compile(pattern, samples):
    rebuilt, fresh = from_code(compiled_code(pattern)), re.compile(pattern)
    assert (rebuilt.pattern, rebuilt.flags, rebuilt.groups, rebuilt.groupindex) == (
        fresh.pattern, fresh.flags, fresh.groups, fresh.groupindex)
    for text in samples:
        got, want = rebuilt.search(text), fresh.search(text)
        assert (got and (got.span(), got.groups(), got.groupdict())) == (want and (want.span(), want.groups(), want.groupdict()))


_TOKENS = """
import json, sys
from pathlib import Path
from pipeline.catalog import CACHE_DIR
from pipeline.parse.regex_cache import seed_french_token_match
seeded = seed_french_token_match(CACHE_DIR)
from pipeline.parse.nlp import build_nlp
nlp = build_nlp()
texts = [p.read_text("utf-8") for p in sorted(Path(sys.argv[1]).glob("*.txt"))]
from pipeline.parse import regex_cache
compiled = []
regex_cache.compiled_code = lambda *a: compiled.append(a) or {}
from pipeline.parse.model import model_nlp
model_nlp()  # a second load in the same process: nothing left to compile or to cache
assert not compiled, "the second model load compiled the French regex again"
print(json.dumps({"seeded": seeded, "tokens": [[t.text for t in nlp.make_doc(x)] for x in texts]}))
"""


def _tokens_in_fresh_process(cache_dir) -> dict:
    env = {**os.environ, "CPTS_EXTRACT_CACHE": str(cache_dir)}
    done = subprocess.run([sys.executable, "-c", _TOKENS, str(RAW_DIR)], env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def test_tokens_of_the_shipped_texts_are_the_same_with_and_without_the_cache_and_a_bad_file_is_replaced(tmp_path):
    first = _tokens_in_fresh_process(tmp_path)  # no cache yet: spaCy compiles, the code is written
    assert first["seeded"] is False and list(tmp_path.glob("spacy-fr-token-match-*.pickle"))
    second = _tokens_in_fresh_process(tmp_path)  # the cache seeds re's, spaCy's compile is free
    assert second["seeded"] is True
    assert second["tokens"] == first["tokens"] and sum(map(len, first["tokens"])) > 1000
    (cached,) = tmp_path.glob("spacy-fr-token-match-*.pickle")
    cached.write_bytes(b"not a pickle")
    third = _tokens_in_fresh_process(tmp_path)  # unusable file: ordinary compile, same tokens, file rewritten
    assert third["seeded"] is False and third["tokens"] == first["tokens"]
    assert _tokens_in_fresh_process(tmp_path)["seeded"] is True


_FACTS = """
import json, sys
from pathlib import Path
from pipeline.parse import parse_documents, regex_cache
from pipeline.records import DocId, SourceDocument
texts = [p.read_text("utf-8") for p in sorted(Path(sys.argv[1]).glob("*.txt"))]
sources = [SourceDocument(doc_id=DocId(f"d{i}"), source_path=f"{i}.txt", source_format="txt", text=t) for i, t in enumerate(texts)]
facts = [repr(parsed) for parsed in parse_documents(sources, n_process=1)]
print(json.dumps({"seeded": regex_cache._seeded[0], "facts": facts}))
"""


def _facts_in_fresh_process(cache_dir) -> dict:
    env = {**os.environ, "CPTS_EXTRACT_CACHE": str(cache_dir)}
    done = subprocess.run([sys.executable, "-c", _FACTS, str(RAW_DIR)], env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def test_the_start_up_patterns_from_the_cache_parse_the_shipped_texts_alike_and_a_bad_file_is_replaced(tmp_path):
    first = _facts_in_fresh_process(tmp_path)  # no file for this code yet: compiled as usual, written after warm-up
    (written,) = tmp_path.glob("re-patterns-*.pickle")
    second = _facts_in_fresh_process(tmp_path)  # every start-up pattern taken from the file
    assert second["seeded"] > 500 and second["facts"] == first["facts"] and len(first["facts"]) >= 5
    written.write_bytes(written.read_bytes()[:1000])
    third = _facts_in_fresh_process(tmp_path)  # a damaged file: compiled as usual, same facts, file written again
    assert third["facts"] == first["facts"]
    assert _facts_in_fresh_process(tmp_path)["seeded"] > 500
