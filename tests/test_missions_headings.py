"""Missions in lists, labelled lines and headings (``lists.py``, ``headings.py``): new phrasings of the layouts
seen in the dev set (``dev``) and of the issue's list (``brief``), with neighbours that must give nothing (``probe``).

Places and names are invented or from other regions than the dev set. Statuses appear only where the text
says socle / optionnelle (or obligatoire / complémentaire); otherwise they are null.
"""

from __future__ import annotations

import pytest

from pipeline.ingest import normalise_text
from pipeline.parse.missions import extract_missions


@pytest.fixture(scope="module")
def read(segmented):
    def missions(text: str) -> set[tuple[str, str | None]]:
        return {(m.mission, m.status) for m in extract_missions(segmented(normalise_text(text)))}

    return missions


def case(origin: str, name: str, text: str, *expected: tuple[str, str | None], xfail: str = ""):
    marks = [pytest.mark.xfail(reason=xfail, strict=True)] if xfail else []
    return pytest.param(text, set(expected), id=f"{origin}-{name}", marks=marks)


CASES = [
    case(
        "dev",
        "action-lines-after-territory-paragraph",
        "Notre projet de santé permettra de :\n"
        "La CPTS du Gâtinais couvre onze communes au sud de Montargis, pour 41 000 habitants.\n"
        "Rendre le secteur attractif pour les jeunes professionnels\n"
        "Encourager le dépistage du cancer colorectal\n"
        "Aider à organiser le maintien à domicile des personnes en perte d'autonomie",
        ("accompagnement_professionnels", None),
        ("prevention", None),
        ("parcours", None),
    ),
    case("dev", "mieux-organiser", "Mieux organiser les sorties d'hospitalisation", ("parcours", None)),
    case("dev", "formations-heading", "Proposer des formations interprofessionnelles", ("accompagnement_professionnels", None)),
    case(
        "dev",
        "generic-obligation-among-actions",
        "Les CPTS ont l'obligation d'établir un plan d'action face aux crises sanitaires exceptionnelles\n"
        "Rendre le territoire plus attractif pour les soignants",
        ("crise_sanitaire", None),
        ("accompagnement_professionnels", None),
        xfail="a line about CPTS in general among this CPTS's action lines stays generic",
    ),
    case(
        "brief",
        "missions-socles-list",
        "Les missions socles de la CPTS Loue-Lison :\n- l'accès aux soins\n- les parcours pluriprofessionnels\n- la prévention",
        ("acces_soins", "socle"),
        ("parcours", "socle"),
        ("prevention", "socle"),
    ),
    case(
        "brief",
        "missions-complementaires-list",
        "Missions complémentaires :\n• Qualité et pertinence des soins\n• Accueil des stagiaires",
        ("qualite_pertinence", "optionnelle"),
        ("accompagnement_professionnels", "optionnelle"),
    ),
    case(
        "brief",
        "groupes-de-travail-list",
        "Les groupes de travail de la CPTS :\n• soins non programmés\n• lien ville-hôpital",
        ("acces_soins", None),
        ("parcours", None),
    ),
    case(
        "brief",
        "premieres-actions-inline",
        "Premières actions : accueil des internes, plan canicule",
        ("accompagnement_professionnels", None),
        ("crise_sanitaire", None),
    ),
    case(
        "probe",
        "thematiques-inline",
        "Thématiques retenues : vaccination des nourrissons ; retour à domicile",
        ("prevention", None),
        ("parcours", None),
    ),
    case("probe", "au-programme-inline", "Au programme : téléconsultation en pharmacie, formations continues", ("acces_soins", None), ("accompagnement_professionnels", None)),
    case("probe", "orientations-list", "Ses orientations :\n- la pertinence des prescriptions\n- les soins non programmés", ("qualite_pertinence", None), ("acces_soins", None)),
    case("brief", "defi-inline", "Principal défi : l'accès à un médecin traitant", ("acces_soins", None)),
    case(
        "probe",
        "socle-and-optional-heading",
        "Des actions au niveau socle comme au niveau optionnel :\n• Prévention des chutes\n• Démarche qualité",
        ("prevention", None),
        ("qualite_pertinence", None),
    ),
    case(
        "probe",
        "status-list-then-another-mission",
        "Le contrat de la CPTS porte sur les missions socles (accès aux soins, prévention) ainsi que sur la mission de réponse aux crises sanitaires.",
        ("acces_soins", "socle"),
        ("prevention", "socle"),
        ("crise_sanitaire", None),
    ),
    case(
        "probe",
        "generic-list",
        "Une CPTS a pour missions :\n• l'accès aux soins\n• la prévention",
    ),
    case(
        "probe",
        "topic-heading-adverbial-lead",
        "Prévention\nChaque printemps, nous organisons une semaine du dépistage à Vitrolles.",
        ("prevention", None),
    ),
    case(
        "probe",
        "flattened-status-table",
        "Mission | Statut\nAccès aux soins | socle\nQualité et pertinence | optionnelle",
        ("acces_soins", "socle"),
        ("qualite_pertinence", "optionnelle"),
    ),
    case("probe", "structure-name-heading", "Maison de santé de l'exercice coordonné du Val"),
    case("probe", "plan-blanc-of-hospital", "Le centre hospitalier a déclenché son plan blanc en janvier."),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_lists_and_headings(read, text, expected):
    assert read(text) == expected
