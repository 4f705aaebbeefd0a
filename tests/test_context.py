"""The one contextual matcher: window names mean the same text for every fact kind, rows are checked on load."""

from __future__ import annotations

import pytest

from pipeline.parse.context import Segment, matcher, window_text
from pipeline.textnorm import fold


class _At:
    def __init__(self, start: int, end: int) -> None:
        self.start, self.end = start, end


def _segment(text: str, anchors: list[str]) -> tuple[Segment, list[_At]]:
    folded = fold(text)
    stops = [_At(folded.index(a), folded.index(a) + len(a)) for a in anchors]
    return Segment(folded, [(0, len(folded))], stops), stops


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        ("before", " et "),
        ("sentence_before", "la cpts regroupe 12 medecins et "),
        ("clause_before", "la cpts regroupe 12 medecins et "),
        ("clause_after", " (dont 2 en formation) exercent ici"),
        ("list_after", " (dont 2 en formation) exercent ici"),
        ("sentence_after", " (dont 2 en formation) exercent ici, depuis mars"),
        ("sentence", "la cpts regroupe 12 medecins et 4 infirmiers (dont 2 en formation) exercent ici, depuis mars"),
        ("heading", ""),
    ],
)
def test_windows_cut_the_same_text_around_an_anchor(window, expected):
    text = "La CPTS regroupe 12 médecins et 4 infirmiers (dont 2 en formation) exercent ici, depuis mars"
    segment, stops = _segment(text, ["12 medecins", "4 infirmiers"])
    assert window_text(segment, window, stops[1].start, stops[1].end) == expected


def test_max_chars_keeps_the_characters_nearest_the_anchor():
    segment, stops = _segment("Le territoire compte 300 professionnels de santé libéraux", ["300 professionnels"])
    assert window_text(segment, "sentence_before", stops[0].start, stops[0].end, 7) == "compte "
    assert window_text(segment, "sentence_after", stops[0].start, stops[0].end, 3) == " de"



def test_sentence_nearest_gives_a_cue_to_the_nearer_of_two_sums():
    text = "La CPTS reçoit 50 000 € à la signature, puis 80 000 € par an au maximum"
    segment, sums = _segment(text, ["50 000 €", "80 000 €"])
    amounts = matcher("amount_cues")
    assert amounts.fires(segment, "maximum", sums[1].start, sums[1].end)
    assert not amounts.fires(segment, "maximum", sums[0].start, sums[0].end)


@pytest.mark.parametrize(
    ("text", "word", "rule", "expected"),
    [
        ("La CPTS regroupe Vire, Condé et Aunay", "Vire", "territory_cue", True),
        ("Le médecin de Vire a rejoint Condé", "Vire", "territory_cue", False),
        ("une partie du cœur de la métropole de Caen", "métropole", "partial", True),
        ("la métropole de Caen et ses partenaires", "métropole", "partial", False),
        ("les vingt-deux communes du territoire", "communes", "counted", True),
        ("la communaute de communes du Val", "communes", "after_epci_head", True),
        ("Vire, Condé et Aunay font partie de la CPTS", " font", "territory_after", True),
        ("Vire, Condé et Aunay accueillent le forum de la CPTS", " accueillent", "territory_after", False),
    ],
)
def test_places_read_their_context_through_the_matcher(text, word, rule, expected):
    """A place's role cues are matcher rows: a territory word before it in its sentence, a partitive among the five
    words before (a ligature folds to one word), a count, a legal form even unaccented, a verb tying a list to the CPTS."""
    from pipeline.parse.places import context

    at = text.index(word)
    args = (text, [0], at, []) if rule == "territory_cue" else (text, at)
    assert getattr(context, rule)(*args) is expected


def test_spans_give_where_a_cue_matched_in_text_offsets():
    """A rule that weighs a cue's position (the last other CPTS named before a date) reads its matches' offsets."""
    text = "la premiere, qui couvre le nord, et l'autre cpts, creee en mars 2020"
    segment = Segment(text, [(0, len(text))], in_place=True)
    date = text.index("mars")
    spans = matcher("dates_cues").spans(segment, "date_other_cpts", date, date + 9)
    assert [text[a:b] for a, b in spans] == ["la premiere, qui", "l'autre cpts"]


def test_in_place_search_sees_the_character_before_the_window():
    """Dates write word starts as look-behinds: a deadline cue cut inside a word ("auparavant") is no cue."""
    dates = matcher("dates_cues")
    for text, expected in (("a signer avant le 3 mars", True), ("signee auparavant le 3 mars", False)):
        date = text.index("3 mars")
        segment = Segment(text, [(0, len(text))], in_place=True)
        assert dates.fires(segment, "date_deadline_cue", date, date + 6) is expected


def test_a_piece_may_be_a_list_of_alternatives():
    """``{id, alternatives: [...]}`` composes like ``{id, piece}``: "se mobilise" is one item of the work verbs."""
    commitments = matcher("mission_cues", "mission_rules", layouts=("sentence_part",), prefiltered=True)
    text = "la cpts se mobilise pour les aidants"
    segment = Segment(text, [(0, len(text))], in_place=True)
    assert commitments.spans(segment, "commit.works_on", 0, 0) == [(8, 24)]


@pytest.mark.parametrize(
    "text",
    ["la cpts souhaite ouvrir une permanence", "elle envisage, a terme, une garde", "nous organisons", "rien ici", ""],
)
def test_prefiltered_cues_match_as_plain_ones(text):
    """A kind that asks for ``Prefiltered`` cues gets the very matches of the plain regexes, only faster."""
    fast = matcher("mission_cues", "mission_rules", layouts=("sentence_part",), prefiltered=True)
    plain = matcher("mission_cues", "mission_rules", layouts=("sentence_part",))
    segment = Segment(text, [(0, len(text))], in_place=True)
    for name in fast.cues:
        if name.startswith("commit."):
            assert fast.spans(segment, name, 0, 0) == plain.spans(segment, name, 0, 0), name
