"""Dates, publication (``pipeline.parse.dates.publication``): bylines, header labels, periodicals.

Phrasings of real pages (issue 11) written anew: newspaper bylines with a time, "Publié le" /
"Mis à jour le" lines, a header label with a year and month, a magazine's issue. A month is a
publication row only when the text states it as such, and it then gives its year to
year-less days and bounds them by its last day; ``published_on`` stays a stated day.
"""

from __future__ import annotations

import pytest

from pipeline.parse.dates import extract_dates, publication_date
from pipeline.records import DateFact


def _dates(nlp, text: str) -> list[DateFact]:
    return extract_dates(nlp.get_pipe("cpts_segmenter")(nlp.make_doc(text)))


def _rows(facts: list[DateFact]) -> list[tuple[str, str | None, str]]:
    return sorted((f.role, f.value.isoformat() if f.value else None, f.precision) for f in facts)


_FILLER = "\n".join(f"Paragraphe {n} sur l'offre de soins du bassin." for n in range(18))

CASES = [
    # newspaper bylines
    pytest.param("Publié le 01/03/2022\nLa CPTS du Pays d'Auge a signé son contrat le 22 février.",
                 [("publication", "2022-03-01", "day"), ("signature", "2022-02-22", "day")], id="byline: publié le numeric"),
    pytest.param("Par Marine Dubreuil\nLe 3 mai 2023 à 18h32\nLa CPTS du Trégor a signé son ACI le 28 avril.",
                 [("publication", "2023-05-03", "day"), ("signature", "2023-04-28", "day")], id="byline: date and time"),
    pytest.param("Mis à jour le 14 octobre 2022 à 09h05\nLa CPTS Sud Morbihan a signé mardi 11 octobre son contrat.",
                 [("publication", "2022-10-14", "day"), ("signature", "2022-10-11", "day")], id="byline: mis à jour le"),
    pytest.param("Publié le 5 juin 2023 à 07h00, mis à jour le 6 juin 2023 à 10h12\n"
                 "La CPTS de l'Ouest Aveyron a signé vendredi 2 juin son contrat.",
                 [("publication", "2023-06-05", "day"), ("signature", "2023-06-02", "day")],
                 id="byline: published then updated, the first is the publication"),
    pytest.param("Par Julie Marchand le 12 mars 2022 à 10:15\nLa CPTS a signé son contrat le 8 mars.",
                 [("publication", "2022-03-12", "day"), ("signature", "2022-03-08", "day")], id="byline: par author le date"),
    pytest.param("Le 12/03/2022 par la rédaction\nLa CPTS a signé son contrat le 8 mars.",
                 [("publication", "2022-03-12", "day"), ("signature", "2022-03-08", "day")], id="byline: date par author"),
    pytest.param("Le Journal de Vitré - Publié le 12/03/2022 à 10:15\nLa CPTS a signé son contrat le 8 mars.",
                 [("publication", "2022-03-12", "day"), ("signature", "2022-03-08", "day")], id="byline: paper then publié le"),
    # release headers
    pytest.param("Communiqué de presse – Angers, le 12 mars 2022\nLa CPTS a signé son contrat le 8 mars.",
                 [("publication", "2022-03-12", "day"), ("signature", "2022-03-08", "day")], id="header: heading, dash, dateline"),
    pytest.param("GUÉRET, 14 juin 2023 (AFP) - La CPTS de la Creuse a signé son contrat le 9 juin.",
                 [("publication", "2023-06-14", "day"), ("signature", "2023-06-09", "day")],
                 id="agency dispatch: place, date, agency tag, dash, text on the same line"),
    pytest.param("COMMUNIQUÉ DE PRESSE | 12 mars 2022\nLa CPTS a signé son contrat le 8 mars.",
                 [("publication", "2022-03-12", "day"), ("signature", "2022-03-08", "day")], id="header: communiqué bar date"),
    pytest.param("Actualités | 12.03.2022\nLa CPTS a signé son contrat le 8 mars.",
                 [("publication", "2022-03-12", "day"), ("signature", "2022-03-08", "day")], id="header: section bar date"),
    pytest.param("CPTS | Date de signature\nCPTS du Val d'Huisne | 12 mars 2022\nCPTS du Perche | 3 avril 2022",
                 [("signature", "2022-03-12", "day"), ("signature", "2022-04-03", "day")], id="negative: a table row is no masthead"),
    # header labels of news aggregators
    pytest.param("date 2022-04\nLa CPTS Bresse Revermont a signé ce jeudi 14 avril son accord avec l'ARS.",
                 [("publication", "2022-04-01", "month"), ("signature", "2022-04-14", "day")], id="label: year-month"),
    pytest.param("date 2022-04\nLa CPTS Bresse Revermont a signé le 3 mai son accord.",
                 [("publication", "2022-04-01", "month"), ("signature", None, "no_year")],
                 id="label: a day after the month cannot be placed"),
    # magazines
    pytest.param("Article paru dans Le Petit Bulletin n° 112, novembre 2021.\nLa CPTS a été créée le 8 octobre.",
                 [("creation", "2021-10-08", "day"), ("publication", "2021-11-01", "month")], id="magazine: paru dans, month"),
    pytest.param("Dossier signé Paul Lemercier, paru dans Vivre à Lorient n° 45, février 2020.",
                 [("publication", "2020-02-01", "month")], id="magazine: signed byline and issue"),
    # negatives
    pytest.param("Le rapport 2021-07 de la CPTS recense 40 actions.", [], id="negative: a year-month reference"),
    pytest.param("La CPTS du Léon\n" + _FILLER + "\nUn article paru dans Le Télégramme, 5 mai 2022.\n" + _FILLER, [],
                 id="negative: another article cited mid-text"),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_publication(nlp, text, expected):
    facts = _dates(nlp, text)
    assert _rows(facts) == sorted(expected)
    assert all(fact.rule for fact in facts)


def test_a_month_is_no_published_on(nlp):
    """``documents.published_on`` is a stated day: a month row would pass for the 1st of the month."""
    facts = _dates(nlp, "date 2023-02\nLa CPTS a signé le 9 février.")
    assert _rows(facts) == [("publication", "2023-02-01", "month"), ("signature", "2023-02-09", "day")]
    assert publication_date(facts) is None
