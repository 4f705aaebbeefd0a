"""The pattern loader and the one way every vocabulary becomes a regex alternation (``pipeline.patterns``)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from pipeline.patterns import PatternError, alternation, compose, load, spaced


@pytest.mark.parametrize(
    ("forms", "text", "found"),
    [
        pytest.param(["commune", "communes"], "12 communes", "communes", id="plural-before-singular"),
        pytest.param(["euro", "euros", "eur"], "500 euros", "euros", id="longest-currency-word"),
        pytest.param(["maison de sante", "maison"], "une maison de sante", "maison de sante", id="phrase-before-its-head"),
        pytest.param(["centre  hospitalier"], "le centre\n hospitalier", "centre\n hospitalier", id="space-is-any-run"),
    ],
)
def test_the_longest_form_wins(forms, text, found):
    assert re.search(alternation(forms), text).group() == found


def test_each_vocabulary_writes_its_own_forms():
    word_end = alternation(["k", "M"], lambda f: re.escape(f) + "(?![a-z])")
    assert re.findall(word_end, "5 k€, 3 kilomètres, 2 M€") == ["k", "M"]
    assert spaced("a.b c") == r"a\.b\s+c"


def test_the_regex_is_the_same_in_every_process():
    """Forms of one length in alphabetical order: a set's order follows the string hash seed."""
    code = "from pipeline.patterns import alternation; print(alternation({'abc', 'abd', 'xyz', 'ab', 'zz'}))"
    runs = {
        subprocess.run([sys.executable, "-c", code], env={"PYTHONHASHSEED": seed}, capture_output=True, text=True,
                       check=True).stdout
        for seed in ("1", "2", "3")
    }
    assert runs == {"abc|abd|xyz|ab|zz\n"}


def test_loader_skips_source_notes():
    rows = load("bullets")
    assert rows and all("id" in row for row in rows)


def test_pieces_are_composed_as_groups():
    assert compose("{verb} de", {"verb": "regroupe|reunit"}, "row") == "(?:regroupe|reunit) de"


def test_quantifiers_are_not_pieces():
    assert compose(r"\b{verbs}[^.]{0,40}", {"verbs": "a|b"}, "row") == r"\b(?:a|b)[^.]{0,40}"


def test_a_missing_piece_names_the_row():
    with pytest.raises(PatternError, match=r"missions row 'x'.*\{nowhere\}"):
        compose(r"\b{nowhere}\b", {"here": "a|b"}, "missions row 'x'")
