"""Prefiltered regexes (``pipeline/parse/prefilter.py``): the strings a pattern requires, and the same matches as
the plain regex."""

from __future__ import annotations

import re

import pytest

from pipeline.parse.missions.vocabulary import vocabulary
from pipeline.parse.places.vocab import intros
from pipeline.parse.prefilter import CASE_TRAPS, compile_prefiltered, leading_strings, required_strings


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\bprevention\b", ("prevention",)),
        (r"\b(?:crises?|pandemies?)\b", ("crise", "pandemie")),
        (r"\bmedecins? traitants?\b", (" traitant",)),  # the longest literal run, not the first
        (r"\bsoins?(?: urgents)?\b", ("soin",)),  # an optional part requires nothing
        (r"(?:la |le )?cpts", ("cpts",)),
        (r"(?i)Prévention", ("vention",)),  # ignoring case: lowered, a non-ASCII letter requires nothing
        (r"(?<![\w-])(?i:communes)\s+de", ("communes",)),
        (r"(?<=la )cpts", ("cpts",)),  # a lookbehind's text may lie before the span: not required
        (r"(?<=la )\w+", None),
        (r"\b\w+ons\b|\bnous\b", ("nous", "ons")),
        (r"\b(?:aa|bb|cc|dd|ee|ff|gg|hh|ii|jj|kk|ll|mm|nn|oo|pp|qq)\b", None),  # too many alternatives to be worth testing one by one
        (r"[a-z]+", None),
    ],
)
def test_required_strings(pattern: str, expected: tuple[str, ...] | None) -> None:
    assert required_strings(re.compile(pattern)) == expected


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\bmedecins? traitants?\b", ("medecin",)),  # after \b, which reads no character
        (r"(?<![\w-])(?i:communes)\s+de", ("communes",)),
        (r"\b(?:crises?|pandemies?)\b", ("crise", "pandemie")),
        (r"(?:la |le )?cpts", None),  # an optional start: a match may start on either
        (r"\w+ons\b", None),
    ],
)
def test_leading_strings(pattern: str, expected: tuple[str, ...] | None) -> None:
    assert leading_strings(re.compile(pattern)) == expected


def test_search_tries_each_place_of_a_leading_string() -> None:
    """The first "communes" is no intro, the second is: search finds the second, like the regex."""
    intro = compile_prefiltered(r"(?i)communes\s+suivantes\s*:")
    text = "Vingt COMMUNES sont concernées ; les Communes suivantes : Ars, Bron."
    assert intro.search(text).span() == intro.regex.search(text).span() == (37, 57)


PHRASES = [
    "La CPTS COUVRE les Communes de Lyon et de Bron ; ses principaux pôles sont Givors et Brignais.",
    "Les professionnels de santé libéraux d'Annecy, de Seynod et de Cran-Gevrier ont rejoint la communauté.",
    "La CPTS du Val s'engage à développer la prévention des chutes chez les personnes âgées.",
    "Missions socles : accès aux soins, parcours pluriprofessionnels ; mission optionnelle : qualité et pertinence.",
    "Elle compte accueillir des internes et faciliter l'installation des jeunes médecins sur le territoire.",
    "Nous préparons un plan de gestion de crise sanitaire avec l'ARS et les hôpitaux voisins.",
    "Les CPTS ont vocation à améliorer l'accès à un médecin traitant et les soins non programmés.",
    "« Notre priorité, c'est la santé mentale des adolescents », explique la coordinatrice de la communauté.",
    "Ateliers de dépistage des cancers, vaccination, télé-consultation, sortie d'hospitalisation.",
]


def _folded(text: str) -> str:
    from pipeline.textnorm import fold_same_length

    return fold_same_length(text)


def _patterns() -> list:
    from pipeline.parse.missions.context import commitment_matcher

    vocab = vocabulary()
    cues = [*vocab.missions, *vocab.themes]
    guarded = [*(s.words for s in vocab.statuses), *vocab.singular, *vocab.weak_singular]
    singles = [vocab.lead, vocab.list_cue, vocab.plural, vocab.definition, vocab.pronoun,
               vocab.voice, vocab.voice_role, vocab.self_voice, vocab.any_theme]
    commitments = [cue.pattern for cue in commitment_matcher().cues.values()]
    return [c.regex for c in cues] + [g.regex for g in guarded] + singles + commitments + [i.anywhere for i in intros()]


def test_prefiltered_finds_what_the_regex_finds_in_every_span() -> None:
    """Every vocabulary pattern, every span of our phrasings: the prefilter never hides a match."""
    tested = 0
    for prefiltered, text in [(p, t) for p in _patterns() for t in (_folded("\n".join(PHRASES)), "\n".join(PHRASES))]:
        for start in range(0, len(text), 7):
            for end in (start + 12, start + 60, len(text)):
                plain = [m.span() for m in prefiltered.regex.finditer(text, start, end)]
                assert [m.span() for m in prefiltered.finditer(text, start, end)] == plain, prefiltered.pattern
                found = prefiltered.search(text, start, end)
                assert (found.span() if found else None) == (plain[0] if plain else None)
                tested += bool(plain)
    assert tested > 100, "the phrasings hold matches of the patterns"


def test_a_span_without_the_required_word_is_skipped() -> None:
    prevention = compile_prefiltered(r"\bprevention\b")
    text = "les soins de ville ; la prevention"
    assert not prevention.may_match(text, 0, 20)
    assert prevention.search(text, 0, 20) is None
    assert prevention.search(text).span() == (24, 34)


def test_case_traps_are_every_character_that_lowers_away_from_its_ascii_letter() -> None:
    """``_lowered`` is exact only if these are all the characters ``re`` matches to an ASCII letter ignoring case
    whose ``str.lower()`` is not that letter."""
    letter = re.compile(r"(?i)[a-z]")
    found = {c for c in map(chr, range(0x80, 0x110000)) if letter.fullmatch(c) and not re.fullmatch("[a-z]", c.lower())}
    assert found == CASE_TRAPS


def test_a_text_with_a_case_trap_is_searched_whatever_its_case() -> None:
    communes = compile_prefiltered(r"(?i)communes")
    assert communes.search("les COMMUNES").span() == (4, 12)
    assert communes.search("les communeſ").span() == (4, 12)  # re reads ſ as s ignoring case
    assert compile_prefiltered(r"(?i)sud").search("le ſud").span() == (3, 6)
