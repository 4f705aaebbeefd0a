"""Mission commitments as context rules (``pipeline/parse/missions/commitment.py``, ``acting.py``): who acts for a
commitment cue, decided by the rows of ``mission_cues.jsonl`` and ``mission_rules.jsonl`` through the one contextual
matcher.

Every phrasing is written for this test (names invented). Cases are grouped by who commits: this CPTS, another
body, a pronoun, a quotation; each cue and rule row of the two files is reached by at least one case
(``test_every_row_is_reached``).
"""

from __future__ import annotations

import pytest

from pipeline.ingest import normalise_text
from pipeline.parse.context import Segment
from pipeline.parse.missions import extract_missions, rejected_missions
from pipeline.parse.missions.commitment import commitment
from pipeline.parse.missions.context import COMMIT_PREFIX, commitment_matcher
from pipeline.parse.segment import fold_same_length
from pipeline.patterns import load


def decided(sentence: str, speaker: str | None = None, pronoun_is_ours: bool = False) -> tuple[str, str] | None:
    """(rule row id, commitment cue id) of a one-sentence text, None when no commitment cue fires."""
    folded = fold_same_length(sentence)
    found = commitment(folded, 0, len(folded), speaker, pronoun_is_ours)
    return None if found is None else (found.rule.id, found.cue)


def case(name: str, sentence: str, rule: str | None, cue: str | None = None, speaker: str | None = None, ours: bool = False):
    return pytest.param(sentence, speaker, ours, None if rule is None else (rule, cue), id=name)


COMMITMENTS = [
    # this CPTS commits, one case per family of commitment words
    case("engage", "La CPTS des Aulnes s'engage à ouvrir des créneaux sans rendez-vous.", "commit_by_this_cpts", "commit.engage"),
    case("choice", "La CPTS a retenu deux thèmes pour son premier contrat.", "commit_by_this_cpts", "commit.choice"),
    case("will", "La CPTS souhaite mieux repérer les fragilités.", "commit_by_this_cpts", "commit.will"),
    case("intends-to", "La communauté compte ouvrir une permanence le samedi.", "commit_by_this_cpts", "commit.intends_to"),
    case("project", "La CPTS a pour objectif un rendez-vous en 48 heures.", "commit_by_this_cpts", "commit.project"),
    case("future", "La CPTS rédigera un guide des ressources locales.", "commit_by_this_cpts", "commit.future"),
    case("works-on", "La CPTS se mobilise pour les aidants du canton.", "commit_by_this_cpts", "commit.works_on"),
    case("present", "La CPTS du Causse organise des réunions tous les mois.", "commit_by_this_cpts", "commit.present"),
    case("past", "La CPTS a recensé les besoins du canton.", "commit_by_this_cpts", "commit.past"),
    case("we-do", "Nous planifions des gardes partagées.", "commit_by_this_cpts", "commit.we_do", speaker="ours"),
    case("action", "Fluidifier le lien avec les pharmacies : la CPTS du Causse y tient.", "commit_by_this_cpts", "commit.action"),
    # this CPTS acts although another body is named
    case("body-after-preposition", "Soutenue par l'ARS, la CPTS s'engage à former ses membres.", "commit_by_this_cpts", "commit.engage"),
    case("after-et", "La mairie et la CPTS s'engagent à ouvrir une maison de garde.", "commit_by_this_cpts", "commit.engage"),
    case("relative", "Le club a signé avec la CPTS des Aulnes, dont l'action porte sur les seniors.", "commit_by_this_cpts", "commit.works_on"),
    case("nobody-named", "Ouvrir une permanence le samedi, tel est son vœu : elle s'engage à le faire.", "commit_by_this_cpts", "commit.engage", ours=True),
    case("no-body-at-all", "Un objectif : un rendez-vous en 48 heures.", "commit_in_sentence_on_this_cpts", "commit.project"),
    # another body commits
    case("ars-engage", "L'ARS s'engage, aux côtés de la CPTS, à financer un poste de coordinatrice.", "commit_by_other_body", "commit.engage"),
    case("fronted-clause", "Pour épauler les soignants, le département ouvre un centre avec la CPTS.", "commit_by_other_body", "commit.action"),
    case("hospital", "Le centre hospitalier va ouvrir un service avec la CPTS.", "commit_by_other_body", "commit.intends_to"),
    # a pronoun: this CPTS only after a sentence on it, "nous" only in its officer's words
    case("elle-after-cpts", "Elle souhaite ouvrir une permanence.", "commit_by_this_cpts", "commit.will", ours=True),
    case("elle-after-other-body", "Elle souhaite ouvrir une permanence.", "commit_by_other_body", "commit.will"),
    case("nous-of-officer", "Nous voulons ouvrir une permanence.", "commit_by_this_cpts", "commit.we_do", speaker="ours"),
    case("nous-of-mayor", "Nous voulons ouvrir une permanence.", "commit_by_other_body", "commit.we_do", speaker="theirs"),
    # a negated commitment: excluded, unless the negation only adds ("pas seulement")
    case("negated", "La CPTS ne souhaite pas ouvrir de permanence.", "commit_negated", "commit.will"),
    case("negated-plus", "La communauté ne s'engage plus sur les gardes.", "commit_negated", "commit.engage"),
    case("negated-compound", "La CPTS n'a pas retenu la téléconsultation.", "commit_negated_before", "commit.choice"),
    case("not-only", "La CPTS ne s'engage pas seulement pour les aînés.", "commit_by_this_cpts", "commit.engage"),
    case("ne-que", "La CPTS ne souhaite que deux choses.", "commit_by_this_cpts", "commit.will"),
    case("negated-other-cue-commits", "La CPTS ne souhaite pas attendre : elle a lancé un annuaire.", "commit_by_this_cpts", "commit.present"),
    # a project this CPTS dropped: excluded, whoever is named
    case("dropped", "La CPTS a finalement abandonné le projet de maison de garde.", "commit_dropped", "commit.project"),
    case("dropped-no-body", "Le projet d'une permanence le dimanche a été écarté.", "commit_dropped_nobody", "commit.project"),
    case("renounced", "La communauté renonce à son projet de garde.", "commit_dropped", "commit.project"),
    # no commitment word
    case("no-cue", "La CPTS du Causse est née en 2022.", None),
]


@pytest.mark.parametrize(("sentence", "speaker", "ours", "expected"), COMMITMENTS)
def test_commitments(sentence, speaker, ours, expected):
    assert decided(sentence, speaker, ours) == expected


def body(name: str, sentence: str, word: str, kind: str, rule: str):
    return pytest.param(sentence, word, kind, rule, id=name)


BODIES = [
    body("cpts-subject", "La CPTS s'engage.", "cpts", "body_this_cpts", "acting.this_cpts_subject"),
    body("cpts-object", "L'ARS soutient, avec la CPTS, la prévention.", "la cpts", "body_this_cpts", "acting.this_cpts_object"),
    body("cpts-after-et", "L'URPS et la CPTS s'engagent.", "la cpts", "body_this_cpts", "acting.this_cpts_after_et"),
    body("ars-subject", "L'ARS finance le poste.", "l'ars", "body_other", "acting.other_body_subject"),
    body("ars-object", "La CPTS, financée par l'ARS, recrute.", "l'ars", "body_other", "acting.other_body_object"),
]


@pytest.mark.parametrize(("sentence", "word", "kind", "rule"), BODIES)
def test_whether_a_body_acts(sentence, word, kind, rule):
    folded = fold_same_length(sentence)
    at = folded.index(word)
    assert commitment_matcher().decide(Segment(folded, [(0, len(folded))]), kind, at, at).id == rule


def test_every_row_is_reached():
    """Each cue row of mission_cues.jsonl (pieces aside) and each rule row of mission_rules.jsonl is decided on or
    fires in a case above: no row is kept that no phrasing needs."""
    decided_on = [p.values[3] for p in COMMITMENTS if p.values[3]]
    reached = {rule for rule, _ in decided_on} | {cue for _, cue in decided_on} | {p.values[3] for p in BODIES}
    reached |= {cue for row in load("mission_rules") if row["id"] in reached for cue in row.get("when", ())}
    reached |= {p.values[0] for p in FINDERS} | {"negation.reach_end"}  # read by commitment (test_a_negation_governs)
    rows = {row["id"] for row in load("mission_cues") if "pattern" in row} | {row["id"] for row in load("mission_rules")}
    assert rows <= reached, sorted(rows - reached)


@pytest.mark.parametrize(
    ("cue", "sentence", "body", "fires"),
    [
        pytest.param("body.object_of_preposition", "Le poste est financé par l'ARS.", "l'ars", True, id="object-of-preposition"),
        pytest.param("body.object_of_preposition", "Un accord d'entente avec la CPTS.", "cpts", True, id="preposition-and-article"),
        pytest.param("body.after_et", "La mairie et la CPTS signent.", "la cpts", True, id="after-et"),
        pytest.param("body.object_of_preposition", "La CPTS du Lac signe.", "cpts", False, id="no-preposition"),
        pytest.param(
            "body.object_of_preposition", "Depuis mars, la CPTS signe.", "la cpts", False, id="word-ending-in-a-preposition"
        ),
        pytest.param("body.after_et", "Le préfet, la CPTS et l'ARS signent.", "la cpts", False, id="et-after-it"),
    ],
)
def test_body_cues(cue, sentence, body, fires):
    """The cues around a body (``body`` the anchor): a preposition or "et" right before it, and nothing else."""
    folded = fold_same_length(sentence)
    at = folded.index(body)
    assert commitment_matcher().fires(Segment(folded, [(0, len(folded))]), cue, at, at) == fires


FINDERS = [
    pytest.param("body.other_body", "Le conseil départemental finance le poste.", ["le conseil departemental"], id="other-body"),
    pytest.param("body.other_body", "La communauté de communes et la CPTS.", ["la communaute de communes"], id="not-the-cpts"),
    pytest.param("body.relative_pronoun", "La CPTS, dont le siège est à Lure, qui recrute.", ["dont", "qui"], id="relative"),
    pytest.param("body.relative_pronoun", "Les dontologues quittent.", [], id="whole-words"),
]


@pytest.mark.parametrize(("cue", "sentence", "found"), FINDERS)
def test_body_finders(cue, sentence, found):
    """Bodies found in a part of a sentence (layout ``sentence_part``, read by ``acting``)."""
    pattern = commitment_matcher().pattern(cue)
    assert [m.group() for m in pattern.finditer(fold_same_length(sentence))] == found


def test_commit_cues_come_in_file_order():
    """The first family that fires names the rule: "s'engage" before "objectifs"."""
    cues = [cue for cue in commitment_matcher().cues if cue.startswith(COMMIT_PREFIX)]
    assert cues[:2] == ["commit.engage", "commit.choice"]
    assert decided("La CPTS s'engage sur trois objectifs.") == ("commit_by_this_cpts", "commit.engage")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("La CPTS des Aulnes s'engage à promouvoir la prévention.", {"prevention"}, id="this-cpts"),
        pytest.param("L'ARS s'engage, aux côtés de la CPTS des Aulnes, à promouvoir la prévention.", set(), id="ars"),
        pytest.param("La CPTS des Aulnes ne souhaite plus développer la prévention.", set(), id="negated"),
        pytest.param(
            "La CPTS des Aulnes est née en mars. Elle souhaite améliorer l'accès aux soins.", {"acces_soins"}, id="elle-ours"
        ),
        pytest.param(
            "Le centre hospitalier des Aulnes a adhéré à la CPTS. Il souhaite, avec elle, renforcer la prévention.",
            set(),
            id="il-not-ours",
        ),
    ],
)
def test_missions_follow_the_decision(segmented, text, expected):
    assert {m.mission for m in extract_missions(segmented(normalise_text(text)))} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "La CPTS des Aulnes n'a pas retenu la mission de réponse aux crises sanitaires graves.",
            set(),
            id="negated-verb-another-cue-after",
        ),
        pytest.param(
            "Cette année, la CPTS des Aulnes n'a pas retenu les axes de prévention ni d'accès aux soins.",
            set(),
            id="negated-over-a-list",
        ),
        pytest.param(
            "La CPTS des Aulnes n'a pas retenu la téléconsultation, mais ses priorités vont à la prévention.",
            {"prevention"},
            id="mais-ends-the-negation",
        ),
        pytest.param(
            "La CPTS des Aulnes ne souhaite pas attendre : ses projets portent sur la prévention.",
            {"prevention"},
            id="colon-ends-the-negation",
        ),
        pytest.param(
            "La CPTS des Aulnes travaille. Son projet d'un centre de soins non programmés a été abandonné faute de locaux.",
            set(),
            id="dropped-project",
        ),
        pytest.param(
            "La CPTS des Aulnes a renoncé à sa mission de prévention pour cette année.",
            set(),
            id="renounced",
        ),
        pytest.param(
            "La CPTS des Aulnes veut lutter contre le renoncement aux soins et faciliter l'accès aux soins.",
            {"acces_soins"},
            id="renoncement-of-patients-is-no-dropping",
        ),
    ],
)
def test_a_negation_governs_what_follows_it(segmented, text, expected):
    """A negated or dropped commitment refuses the missions it governs, even when another cue of the sentence
    ("mission", "axes") commits this CPTS; its reach ends at ':', ';', 'mais' (``negation.reach_end``)."""
    assert {m.mission for m in extract_missions(segmented(normalise_text(text)))} == expected


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        pytest.param(
            "L'ARS s'engage, aux côtés de la CPTS des Aulnes, à promouvoir la prévention.",
            [("prévention", "commit_by_other_body", "commitment cue commit.engage, anchor commit_other_body")],
            id="another-body",
        ),
        pytest.param(
            "La CPTS des Aulnes ne souhaite plus développer le dépistage.",
            [("dépistage", "commit_negated", "commitment cue commit.will, anchor commit_this_cpts, cue negation.ne_before")],
            id="negated",
        ),
        pytest.param(
            "La CPTS des Aulnes n'a pas retenu la mission de prévention.",
            [("prévention", "commit_negated_before", "commitment cue commit.choice, anchor commit_this_cpts, cue negation.before")],
            id="negated-another-cue-assigns",
        ),
        pytest.param("La CPTS des Aulnes s'engage à promouvoir la prévention.", [], id="assigned"),
    ],
)
def test_refused_commitments_say_which_rule(segmented, text, refused):
    text = normalise_text(text)
    found = [(text[r.start : r.end], r.rule, r.why) for r in rejected_missions(segmented(text))]
    assert [(span, rule) for span, rule, _ in found] == [(span, rule) for span, rule, _ in refused]
    assert all(why.startswith(expected) for (_, _, why), (_, _, expected) in zip(found, refused))


def test_explain_names_the_commitment_cue_and_the_rule_that_refused():
    from pipeline.explain import explain

    text = "CPTS des Aulnes\n\nLa CPTS s'engage à améliorer l'accès aux soins. L'ARS s'engage, avec la CPTS, à développer la prévention."
    shown = explain(text, with_reference=False).render()
    assert "rule=commit.engage/acces_soins.acces_a" in shown
    assert "'prévention' -> no fact  rule=commit_by_other_body" in shown
