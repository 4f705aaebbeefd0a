"""Headcounts in the many ways writers phrase them, grouped by where the phenomenon was found.

Every phrasing here is our own (other names, numbers and places than the texts
the phenomenon was seen in). Each case also checks the ``rule`` that decided
it, so a reader knows which row of ``patterns/count_rules.jsonl`` (or which cue)
to open. Known misses are strict xfails: when one starts passing, move it up.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import patterns
from pipeline.ingest import normalise_text
from pipeline.parse.headcounts import extract_headcounts

M, P = "members", "professionals_on_territory"


def _counts(segmented, text: str) -> list[tuple[str, int, str, str]]:
    doc = segmented(normalise_text(text))
    found = extract_headcounts(doc)
    for h in found:
        assert doc.text[h.char_start : h.char_end] == h.text
    return [(h.category, h.count, h.qualifier, h.rule) for h in found]


# Phenomena seen on the development set of real communiqués (rephrased).
DEV_PHENOMENA = [
    (
        "new-structure-comprend",
        "Cette nouvelle structure comprend 410 professionnels de santé et couvre 61 communes.",
        [(M, 410, "exact", "pros_gathered")],
    ),
    (
        "hospital-establishments",
        "Deux atouts pour le secteur : 3 établissements hospitaliers, l'un à Sens, l'autre à Joigny.",
        [("centre_hospitalier", 3, "exact", "structure_noun")],
    ),
    (
        "enumeration-sont-membres",
        "À ce jour, 4 médecins, 12 infirmières, un orthophoniste et le centre hospitalier de Bastia sont membres de la CPTS.",
        [("infirmier", 12, "exact", "profession_noun"), ("orthophoniste", 1, "exact", "singular_profession_item")],
    ),
    (
        "territory-figures-list",
        "Au total, la CPTS du Ségala s'étend sur 44 communes, compte 61 200 habitants et 512 professionnels de santé.",
        [(P, 512, "exact", "pros_with_territory_figures")],
    ),
    (
        "territory-qui-reunit",
        "Elle s'étend sur un territoire de onze communes qui réunit plus de 21 000 habitants et plus de 170 professionnels de santé.",
        [(P, 170, "at_least", "pros_with_territory_figures")],
    ),
    (
        "elided-exercent-dans-ce-secteur",
        "La CPTS du Haut-Var compte près de 60 professionnels de santé, alors que 95 exercent dans ce secteur.",
        [(M, 60, "approx", "pros_gathered"), (P, 95, "exact", "territory_predicate")],
    ),
    (
        "avec-ses-soignants-territoire",
        "Avec ses 700 soignants recensés, notre territoire a tous les atouts pour attirer de jeunes médecins.",
        [(P, 700, "exact", "pros_of_territory_subject_after")],
    ),
    (
        "federe-desormais",
        "Forte de ce succès, la communauté fédère désormais 240 professionnels de santé, engagés pour les habitants.",
        [(M, 240, "exact", "pros_gathered")],
    ),
    (
        "exact-beats-caption-hedge",
        "Julie Marchand préside la CPTS, qui rassemble plus de 180 professionnels de santé.\n\n"
        "Aujourd'hui, la CPTS réunit 180 professionnels de santé.",
        [(M, 180, "exact", "pros_gathered")],
    ),
    (
        "ont-rejoint-ce-collectif",
        "En tout, 160 professionnels de santé ont rejoint ce collectif, dont la priorité est l'accès aux soins.",
        [(M, 160, "exact", "pros_said_members")],
    ),
    (
        "aci-composition",
        "La CPTS couvre 9 communes. On y compte aujourd'hui un établissement de santé, un établissement "
        "médico-social et 71 professionnels de santé.",
        [(M, 71, "exact", "pros_in_aci_composition")],
    ),
    (
        "pool-then-elided-members",
        "Parmi les 540 professionnels exerçant sur la zone, 98 ont déjà rejoint la CPTS !",
        [(P, 540, "exact", "pros_pool"), (M, 98, "exact", "member_predicate")],
    ),
]

# The verbs and nouns writers use for a membership or the territory's professionals.
VERBS_AND_NOUNS = [
    ("rassemble", "La CPTS des Coteaux rassemble 95 professionnels de santé.", [(M, 95, "exact", "pros_gathered")]),
    ("associe", "La CPTS associe 58 professionnels de santé du bassin.", [(M, 58, "exact", "pros_gathered")]),
    ("mobilise-acteurs", "Elle mobilise plus de 210 acteurs de santé.", [(M, 210, "at_least", "pros_gathered")]),
    ("compte-membres", "Elle compte à ce jour 340 membres.", [(M, 340, "exact", "members_noun")]),
    ("totalise-adherents", "La CPTS totalise 260 adhérents.", [(M, 260, "exact", "members_noun")]),
    ("forte-de-ses-membres", "Forte de ses 150 membres, la CPTS lance son projet.", [(M, 150, "exact", "members_noun")]),
    (
        "sont-reunis-au-sein",
        "Plus de 120 professionnels de santé sont réunis au sein de la CPTS du Lauragais.",
        [(M, 120, "at_least", "pros_said_members")],
    ),
    (
        "sont-regroupes-dans-la-cpts",
        "Au total, 66 professionnels sont regroupés dans la CPTS.",
        [(M, 66, "exact", "pros_said_members")],
    ),
    (
        "se-sont-engages",
        "Au total, 77 professionnels se sont engagés dans la démarche.",
        [(M, 77, "exact", "pros_said_members")],
    ),
    (
        "ce-sont-qui-ont-rejoint",
        "Ce sont 45 professionnels de santé qui ont rejoint l'association.",
        [(M, 45, "exact", "pros_said_members")],
    ),
    (
        "inverted-exercent",
        "Sur ce secteur de 24 communes exercent 510 professionnels de santé.",
        [(P, 510, "exact", "pros_practising_inverted")],
    ),
    (
        "exercent-sur-le-territoire",
        "Près de 700 professionnels de santé exercent sur le territoire de la CPTS.",
        [(P, 700, "approx", "pros_practising")],
    ),
    (
        "couvre-communes-habitants-pros",
        "La CPTS couvre 31 communes, 48 000 habitants et 290 professionnels de santé libéraux.",
        [(P, 290, "exact", "pros_with_territory_figures")],
    ),
    (
        "avec-ses-bassin",
        "Avec ses 430 professionnels de santé, le bassin de vie reste attractif.",
        [(P, 430, "exact", "pros_of_territory_subject_after")],
    ),
    (
        "avec-ses-cpts",
        "Avec ses 150 professionnels de santé, la CPTS du Val d'Orge est l'une des plus grandes.",
        [(M, 150, "exact", "pros_of_cpts_subject_after")],
    ),
    (
        "members-alors-que-pool",
        "Elle compte 52 adhérents, alors que 230 professionnels exercent sur le territoire.",
        [(M, 52, "exact", "members_noun"), (P, 230, "exact", "pros_practising")],
    ),
    (
        "professions-ont-adhere",
        "8 médecins généralistes, 14 infirmiers et une orthophoniste ont adhéré à la CPTS.",
        [
            ("medecin_generaliste", 8, "exact", "profession_noun"),
            ("infirmier", 14, "exact", "profession_noun"),
            ("orthophoniste", 1, "exact", "singular_profession_item"),
        ],
    ),
    (
        "structures-on-territory",
        "Le territoire dispose de 3 établissements hospitaliers et de 6 EHPAD.",
        [("centre_hospitalier", 3, "exact", "structure_noun"), ("ehpad", 6, "exact", "structure_noun")],
    ),
    ("in-gard-la-cpts", "Dans le Gard, la CPTS Cévennes regroupe 140 adhérents.", [(M, 140, "exact", "members_noun")]),
    (
        "composent-la-cpts",
        "120 professionnels de santé composent aujourd'hui la CPTS.",
        [(M, 120, "exact", "pros_said_members")],
    ),
    ("sont-n-a-avoir-rejoint", "Ils sont aujourd'hui 130 à avoir rejoint la CPTS.", [(M, 130, "exact", "member_predicate")]),
    ("adherent-verb", "85 professionnels de santé adhèrent à la CPTS.", [(M, 85, "exact", "pros_said_members")]),
    ("y-exercent", "Quelque 400 professionnels de santé y exercent.", [(P, 400, "approx", "pros_practising")]),
    (
        "au-nombre-de",
        "Les adhérents sont aujourd'hui au nombre de 95.",
        [(M, 95, "exact", "members_au_nombre_de")],
    ),
    (
        "professionnels-adherents",
        "La CPTS compte désormais 112 professionnels adhérents.",
        [(M, 112, "exact", "pros_said_members")],
    ),
    ("represente", "La CPTS représente 250 professionnels de santé.", [(M, 250, "exact", "pros_gathered")]),
    ("une-cpts-de", "Une CPTS de 95 professionnels de santé a vu le jour à Redon.", [(M, 95, "exact", "pros_gathered")]),
    (
        "la-cpts-c-est",
        "La CPTS, c'est 150 professionnels de santé, 14 communes et 38 000 habitants.",
        [(M, 150, "exact", "pros_gathered")],
    ),
    ("le-territoire-c-est", "Le territoire, c'est 480 professionnels de santé.", [(P, 480, "exact", "pros_territory_subject")]),
    (
        "nous-sommes-quoted",
        "« Nous sommes déjà 64 professionnels engagés », se réjouit le président de la CPTS.",
        [(M, 64, "exact", "pros_we_are")],
    ),
    ("nous-sommes-aujourd-hui", "Nous sommes aujourd'hui 120 professionnels de santé.", [(M, 120, "exact", "pros_we_are")]),
    ("nous-sommes-in-a-structure", "À la maison de santé de Plouay, nous sommes 12 professionnels.", []),
    (
        "profession-practising-on-territory",
        "Aujourd'hui, 9 médecins généralistes exercent sur le territoire, contre 14 il y a dix ans.",
        [("medecin_generaliste", 9, "exact", "profession_noun")],
    ),
    (
        "pays-de-is-a-local-area",
        "Dans le Pays de Fougères, 120 professionnels de santé ont rejoint la CPTS.",
        [(M, 120, "exact", "pros_said_members")],
    ),
    (
        "premiere-en-france-is-no-setting",
        "La CPTS, l'une des premières en France, regroupe 150 adhérents.",
        [(M, 150, "exact", "members_noun")],
    ),
    (
        "premiere-pour-la-region-is-no-setting",
        "La CPTS, une première pour la région, réunit 90 professionnels de santé.",
        [(M, 90, "exact", "pros_gathered")],
    ),
    ("previous-count-has-no-noun", "La CPTS compte 120 adhérents (contre 80 l'an dernier).", [(M, 120, "exact", "members_noun")]),
    # a collective noun with its noun left out, then "à avoir rejoint" (a local daily's wording)
    (
        "collective-noun-a-avoir-rejoint",
        "Kinés, pharmaciens, sages-femmes : elles et ils sont une quarantaine à avoir rejoint la CPTS du Val.",
        [(M, 40, "approx", "member_predicate")],
    ),
    (
        "collective-noun-of-pros-a-avoir-adhere",
        "Ils sont une bonne centaine de soignants à avoir adhéré à la communauté.",
        [(M, 100, "approx", "pros_said_members")],
    ),
    # the professionals who carry the CPTS are its members
    (
        "cpts-portee-par",
        "La CPTS du Val de Vire, portée par 58 professionnels de santé, a tenu sa première assemblée.",
        [(M, 58, "exact", "pros_carrying_cpts")],
    ),
    (
        "opening-portee-par-la-structure",
        "Portée par 66 professionnels de santé libéraux, la structure s'étend sur 12 communes.",
        [(M, 66, "exact", "pros_carrying_cpts_opening")],
    ),
]

# Counts that are not this CPTS's headcounts: wider places, CPTS in general, another CPTS, plans, events.
NEGATIVE = [
    ("departement-subject", "Le département compte 2 300 professionnels de santé libéraux."),
    ("en-france-plural-cpts", "En France, plus de 1 000 CPTS regroupent 80 000 professionnels de santé."),
    ("dans-la-region", "Dans la région, 14 000 professionnels de santé exercent en libéral."),
    ("echelle-nationale", "À l'échelle nationale, 250 000 professionnels sont concernés."),
    ("les-cpts-en-moyenne", "Les CPTS regroupent en moyenne 90 professionnels de santé."),
    ("vise-d-ici", "La CPTS vise 200 adhérents d'ici 2026."),
    ("any-one-cpts-on-average", "En moyenne, une CPTS compte 80 adhérents."),
    ("each-cpts", "Chaque CPTS regroupe une centaine de professionnels de santé."),
    ("rassembler-a-terme", "L'objectif est de rassembler 150 professionnels de santé à terme."),
    ("espere-federer", "La CPTS espère fédérer 300 professionnels de santé l'an prochain."),
    ("conseil-reunit-membres", "Le conseil d'administration réunit 12 membres."),
    ("bureau-membres", "Le bureau compte 6 membres élus."),
    ("neighbour-cpts", "La CPTS voisine du Pays d'Auge rassemble 230 professionnels de santé."),
    (
        "the-first-one-pronoun",
        "Il s'agit de la 2e CPTS du secteur : la première, qui couvre le reste du département, "
        "avait été signée en mars 2021 par 64 professionnels répartis dans 81 communes.",
    ),
    ("evening-reunion", "Une soirée a réuni 85 professionnels de santé à Vannes."),
    ("participants", "Plus de 120 participants ont assisté à la journée."),
    ("msp-subject", "La maison de santé de Brienne regroupe 22 professionnels de santé."),
    ("density", "On compte 9 médecins pour 10 000 habitants."),
    ("ages-durations", "Les patients de plus de 75 ans sont suivis depuis 4 ans."),
    ("elided-exercent-in-departement", "Dans le département, 1 900 exercent sur le territoire régional."),
    ("profession-at-one-msp", "2 médecins généralistes exercent à la MSP de Redon."),
    ("departement-named", "Dans le département de la Somme, 2 300 professionnels de santé exercent."),
    ("communes-and-pros-unsaid", "La CPTS réunit 12 communes et 95 professionnels de santé."),
    ("bureau-au-nombre-de", "Les membres du bureau sont au nombre de 9."),
    ("number-of-professions", "Elle réunit des professionnels de 14 professions différentes."),
    ("from-to", "Le nombre d'adhérents est passé de 40 à 120 en un an."),
    ("msp-portee-par", "La maison de santé, portée par 14 professionnels de santé, ouvrira au printemps."),
    ("idea-portee-par", "Portée par 5 professionnels de santé, l'idée a fait son chemin."),
]

# Known misses, kept visible: when one passes, move it to a table above.
KNOWN_MISSES = [
    (
        "singular-structure-in-member-list",
        # a singular structure counts 1 only in a sentence that counts structures or members
        "Sont membres de la CPTS : 9 infirmières, 3 kinés et le centre hospitalier de Lannion.",
        [
            ("infirmier", 9, "exact", "profession_noun"),
            ("masseur_kinesitherapeute", 3, "exact", "profession_noun"),
            ("centre_hospitalier", 1, "exact", "singular_structure_item"),
        ],
    ),
    (
        "on-y-compte-after-cpts-sentence",
        # "y" may stand for the CPTS or for its territory: read as the territory
        "La CPTS du Lodévois fédère ses soignants. On y compte 48 professionnels de santé.",
        [(M, 48, "exact", "pros_gathered")],
    ),
]


def _params(table):
    return pytest.mark.parametrize(("text", "expected"), [c[1:] for c in table], ids=[c[0] for c in table])


@_params(DEV_PHENOMENA)
def test_dev_phenomena(segmented, text, expected):
    assert _counts(segmented, text) == expected


@_params(VERBS_AND_NOUNS)
def test_verbs_and_nouns(segmented, text, expected):
    assert _counts(segmented, text) == expected


@pytest.mark.parametrize("text", [c[1] for c in NEGATIVE], ids=[c[0] for c in NEGATIVE])
def test_not_headcounts(segmented, text):
    assert _counts(segmented, text) == []


@pytest.mark.xfail(strict=True, reason="known miss: see the comment of each case")
@_params(KNOWN_MISSES)
def test_known_misses(segmented, text, expected):
    assert _counts(segmented, text) == expected


def test_every_rule_names_known_cues():
    """Every cue a rule row names exists, and every row has an id (a typo would silently never fire)."""
    cues = {row["id"] for row in patterns.load("count_cues")}
    for row in patterns.load("count_rules"):
        assert row["id"] and set(row.get("when", ())) <= cues, row


def test_every_cue_window_is_read_by_the_code():
    """A cue's window is data the code reads: only names the contextual matcher knows, or a layout read by labels."""
    from pipeline.parse.context import WINDOWS
    from pipeline.parse.headcounts.context import LAYOUTS

    for row in patterns.load("count_cues"):
        if "pattern" in row:
            assert set(row["window"]) <= set(WINDOWS) | set(LAYOUTS), row["id"]


def test_shipped_and_unseen_headcounts_carry_a_rule(segmented):
    """No record of the shipped communiqués is left with an empty rule."""
    root = Path(__file__).resolve().parent.parent
    for gold in sorted((root / "tests" / "gold").glob("*.json")):
        raw = (root / "raw" / json.loads(gold.read_text("utf-8"))["doc"]).read_text("utf-8")
        assert all(rule for *_, rule in _counts(segmented, raw)), gold.name


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("35 professionnels de santé ont participé à la réunion.", "pros_unclaimed"),
        ("La CPTS vise 200 adhérents d'ici 2026.", "target"),
        ("Dans la région, 14 000 professionnels de santé exercent en libéral.", "not_wider_place_setting"),
        ("Le bureau compte 6 membres élus.", "members_not_governance"),
        ("Trois médecins généralistes partiront à la retraite en 2025.", "target"),
        ("Deux orthophonistes travaillent au centre de rééducation.", "profession_not_detailing_members"),
    ],
)
def test_rejected_counts_say_which_rule(segmented, text, rule):
    """``explain`` shows the rule that turned a count down."""
    from pipeline.parse.headcounts import rejected_counts

    assert [r.rule for r in rejected_counts(segmented(normalise_text(text)))] == [rule]


def test_rejected_counts_name_the_cues_that_fired(segmented):
    """``explain`` shows which cues of the deciding rule row fired, so a reader finds the pattern to fix."""
    from pipeline.parse.headcounts import rejected_counts

    [rejected] = rejected_counts(segmented(normalise_text("Le bureau compte 6 membres élus.")))
    assert "governance" in rejected.why



def test_the_quantity_regex_is_the_same_in_every_process():
    """Its words come from sets (number words, collective nouns): ordered so that the regex, and the pattern cache
    keyed by it, do not change with the string hash seed."""
    code = "from pipeline.parse.headcounts.scope import _quantity_regex; print(_quantity_regex().pattern)"
    runs = {
        subprocess.run([sys.executable, "-c", code], env={"PYTHONHASHSEED": seed}, capture_output=True, text=True,
                       check=True).stdout
        for seed in ("1", "2", "3")
    }
    assert len(runs) == 1
