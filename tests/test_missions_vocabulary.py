"""The mission and theme patterns as data (``pipeline/parse/missions/vocabulary.py``) and the rule every record carries."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.ingest import normalise_text
from pipeline.parse.missions import extract_missions, extract_themes
from pipeline.parse.missions.context import COMMIT_PREFIX, commitment_matcher
from pipeline.parse.missions.vocabulary import vocabulary
from pipeline.patterns import load

RAW = sorted((Path(__file__).resolve().parents[1] / "raw").glob("*.txt"))
_MAX_PATTERN = 250
"""Issue 12: a long alternation is a list of pieces, not one line of regex."""


@pytest.mark.parametrize("name", ["missions", "themes", "mission_cues"])
def test_every_row_has_a_unique_id_and_a_source(name):
    rows = load(name)
    assert all(row.get("id") and row.get("source") for row in rows)
    assert len({row["id"] for row in rows}) == len(rows)


@pytest.mark.parametrize("name", ["missions", "mission_cues"])
def test_patterns_are_short_and_compose_from_pieces(name):
    rows = load(name)
    assert all(len(row.get("pattern", "")) <= _MAX_PATTERN for row in rows)
    assert vocabulary().missions and commitment_matcher().rules, "every piece a pattern names exists (both compile)"


@pytest.mark.parametrize("path", RAW, ids=[p.stem for p in RAW])
def test_every_record_has_the_rule_that_made_it(nlp, path):
    doc = nlp(normalise_text(path.read_text("utf-8")))
    mission_ids = {cue.id for cue in vocabulary().missions}
    contexts = {cue for cue in commitment_matcher().cues if cue.startswith(COMMIT_PREFIX)} | {
        "mission_list",
        "mission_inline_label",
        "mission_table",
        "mission_action_heading",
        "mission_topic_heading",
        "mission_status_sentence",
        "mission_action_enumeration",
    }
    for mission in extract_missions(doc):
        context, _, cue = mission.rule.partition("/")
        assert context in contexts and cue in mission_ids, mission.rule
    theme_ids = {cue.id for cue in vocabulary().themes}
    assert all(theme.rule in theme_ids for theme in extract_themes(doc))


def test_status_words_that_qualify_money_are_not_statuses(segmented):
    doc = segmented(normalise_text("Missions socles :\n• Accès aux soins\nUn financement socle de 60 000 € suit."))
    assert [(m.mission, m.status) for m in extract_missions(doc)] == [("acces_soins", "socle")]
    assert re.fullmatch(r"mission_list/.+", extract_missions(doc)[0].rule)
