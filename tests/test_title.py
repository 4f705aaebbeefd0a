"""The communiqué's headline when the container gives none: mastheads, menus and breadcrumbs are skipped."""

from __future__ import annotations

import pytest

from pipeline.parse.title import extract_title

CASES = [
    ("after masthead", "Communiqué de presse\nARS Normandie\n\nLa CPTS du Bessin signe son contrat ACI\n\nLe 3 mai...",
     "La CPTS du Bessin signe son contrat ACI"),
    ("site menu skipped", "CPTS Val d'Ouche\nAccueil | La CPTS | Nos actions | Adhérer\n\nNotre contrat est signé !\n\nTexte.",
     "Notre contrat est signé !"),
    ("breadcrumb skipped", "Accueil > Actualités > Contrats CPTS\n\nSignature du contrat de la CPTS Lodévois\n\nTexte.",
     "Signature du contrat de la CPTS Lodévois"),
    ("title with a colon kept", "Publié le 2 mai 2022\n\nGard : la CPTS Cévennes signe son contrat\n\nTexte.",
     "Gard : la CPTS Cévennes signe son contrat"),
    ("no cue: first sentence-like line", "Communiqué de presse\n\nL'offre de soins progresse en Lozère\n\nTexte.",
     "L'offre de soins progresse en Lozère"),
    ("kicker above the headline", "REDON\nLes soignants libéraux se fédèrent en CPTS\n\nLa CPTS compte 40 membres.",
     "Les soignants libéraux se fédèrent en CPTS"),
    ("dateline headline kept whole", "Redon. Les soignants libéraux se fédèrent\n\nTexte.",
     "Redon. Les soignants libéraux se fédèrent"),
    ("nothing", "Contacts :\n04 00 00 00 00", None),
]


@pytest.mark.parametrize("label,text,expected", CASES, ids=[c[0] for c in CASES])
def test_title(label, text, expected):
    assert extract_title(text) == expected
