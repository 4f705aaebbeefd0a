"""Dates, roles (``pipeline.parse.dates.roles``): creation, signature and the dates that are not this CPTS's.

Phrasings of real communiqués (issue 11), written anew with other names, places and dates,
grouped by where such sentences are found. Each row: id, text, expected (role, ISO date or
None, precision) rows. Negatives expect no row or an "other" row. Known misses are
``xfail(strict=True)``: they fail loudly the day a rule starts reading them.
"""

from __future__ import annotations

import pytest

from pipeline.parse.dates import extract_dates
from pipeline.records import DateFact


def _segmented_dates(nlp, text: str) -> list[DateFact]:
    """Segmenter and dates component only: no CPTS names, so only cue words say "this CPTS"."""
    return extract_dates(nlp.get_pipe("cpts_segmenter")(nlp.make_doc(text)))


def _rows(facts: list[DateFact]) -> list[tuple[str, str | None, str]]:
    return sorted((f.role, f.value.isoformat() if f.value else None, f.precision) for f in facts)


def _case(case_id: str, text: str, expected: list, *, miss: str = ""):
    marks = [pytest.mark.xfail(strict=True, reason=miss)] if miss else []
    return pytest.param(text, expected, id=case_id, marks=marks)


CREATION = [
    # CPTS websites ("Qui sommes-nous ?")
    _case("site: créée le day", "Créée le 17 mars 2021, la CPTS des Monts du Forez réunit 95 soignants.",
          [("creation", "2021-03-17", "day")]),
    _case("site: association a vu le jour", "L'association a vu le jour en octobre 2023 à l'initiative de trois infirmières.",
          [("creation", "2023-10-01", "month")]),
    _case("site: constituée in apposition", "La CPTS Cœur de Beauce, constituée en avril 2018, couvre 31 communes.",
          [("creation", "2018-04-01", "month")]),
    _case("site: fondée dès year", "Fondée dès 2018, la CPTS du Clermontois fédère 70 professionnels.",
          [("creation", "2018-01-01", "year")]),
    # local newspapers
    _case("newspaper: née month", "Née en septembre 2020, la communauté professionnelle du Pays de Gex compte 140 adhérents.",
          [("creation", "2020-09-01", "month")]),
    _case("newspaper: lancée opens the sentence, season", "Lancée au printemps 2021, la CPTS Val de Loue se structure en quatre axes.",
          [("creation", "2021-03-01", "season")]),
    _case("newspaper: the communauté was launched", "La communauté a été officiellement lancée le 12 janvier 2022 à Quimperlé.",
          [("creation", "2022-01-12", "day")]),
    _case("newspaper: launch without year nor publication",
          "Lancée ce mardi 5 mars, la CPTS du Vexin Nord veut d'abord trouver un médecin traitant à chacun.",
          [("creation", None, "no_year")]),
    # municipal magazines
    _case("magazine: founding meeting gave birth",
          "L'assemblée constitutive du 4 février 2020 a donné naissance à la CPTS du Haut-Jura.",
          [("creation", "2020-02-04", "day")]),
    _case("magazine: assemblée constitutive, year from the issue",
          "Article paru dans Vivre à Lorient n° 45, février 2020.\n\n"
          "Jeudi 23 janvier, les soignants de la ville ont tenu l'assemblée constitutive de leur CPTS.",
          [("creation", "2020-01-23", "day"), ("publication", "2020-02-01", "month")]),
    _case("site: statutes filed", "L'association a été déclarée en préfecture le 9 mai 2019 ; elle porte la CPTS du Ségala.",
          [("creation", "2019-05-09", "day")]),
    _case("site: existe depuis", "La CPTS Pays de Craon existe depuis 2019 et compte 70 membres.",
          [("creation", "2019-01-01", "year")]),
    # negatives
    _case("negative: a creation with its own undated time",
          "La CPTS, qui a vu le jour il y a deux ans, a signé son contrat le 3 juin 2022.", [("signature", "2022-06-03", "day")]),
    _case("negative: a signature right after another event ('dans la foulée')",
          "Le projet de santé de la CPTS du Lié a été validé en mars 2022 et son contrat signé dans la foulée.",
          [("other", "2022-03-01", "month")]),
    _case("negative: a signature some months after another event",
          "Le projet de santé de la CPTS du Lié a été validé en mars 2022 ; l'ACI a été signé quelques mois plus tard.",
          [("other", "2022-03-01", "month")]),
    _case("negative: a campaign launched is no creation",
          "La campagne de vaccination lancée le 3 octobre 2022 a mobilisé 40 infirmiers.", []),
    _case("negative: the CPTS launched an action", "La CPTS a lancé le 3 octobre 2022 une campagne de dépistage.",
          [("other", "2022-10-03", "day")]),
    _case("negative: launched by the signature is the signature",
          "La CPTS Rives du Doubs est officiellement lancée ce lundi 9 mai 2022 à la suite de la signature de son contrat.",
          [("signature", "2022-05-09", "day")]),
    _case("negative: article des is no dès", "Les infirmières de la CPTS ont réalisé des 2019 vaccinations prévues.", []),
    _case("negative: CPTS in general", "Les premières CPTS ont été créées en 2017 dans la région.", [],
          miss="a plural 'les CPTS' is also how a release lists its own CPTS: no safe cue for CPTS in general"),
    _case("negative: project start is no event of its own",
          "Engagé en novembre 2017, le travail autour du projet de la CPTS a mobilisé les libéraux.", [],
          miss="the start of the project is read as 'other'; the gold of such texts calls it creation, optionally"),
]

SIGNATURE = [
    # ARS and CPAM releases
    _case("release: c'est ... que ... a paraphé",
          "C'est ce vendredi 10 juin 2022 que la CPTS du Grand Cognac a paraphé son contrat avec l'ARS et la CPAM.",
          [("signature", "2022-06-10", "day")]),
    _case("release: conclu in apposition", "Le contrat, conclu le 18 mai 2023 pour cinq ans, engage la CPTS.",
          [("signature", "2023-05-18", "day")]),
    _case("release: no year and no publication",
          "Le contrat de la CPTS Marches de Bretagne a été signé ce mercredi 16 novembre dans les locaux de la CPAM.",
          [("signature", None, "no_year")]),
    _case("release: signataire de l'ACI depuis", "La CPTS, signataire de l'ACI depuis mars 2021, recrute une coordinatrice.",
          [("signature", "2021-03-01", "month")]),
    _case("release: adhésion à l'ACI", "L'adhésion à l'ACI de la CPTS Sud Corrèze date du 21 octobre 2021.",
          [("signature", "2021-10-21", "day")]),
    _case("release: ratifié", "Le contrat de la CPTS a été ratifié le 2 février 2023 en présence du préfet.",
          [("signature", "2023-02-02", "day")]),
    _case("release: month dernier, previous year", "Rennes, le 10 février 2022\nLa CPTS du Pays de Fougères a "
          "signé son contrat en décembre dernier.", [("publication", "2022-02-10", "day"), ("signature", "2021-12-01", "month")]),
    _case("release: month dernier, same year", "Rennes, le 10 février 2022\nLa CPTS du Pays de Fougères a "
          "signé son contrat en janvier dernier.", [("publication", "2022-02-10", "day"), ("signature", "2022-01-01", "month")]),
    _case("release: month dernier without publication", "La CPTS du Pays de Fougères a signé son contrat en décembre dernier.",
          [("signature", None, "no_year")]),
    # local newspapers: the event first, the signing named in the next sentence
    _case("newspaper: gerund in the next sentence",
          "Ce lundi 4 avril 2022, les soignants de la CPTS Lot Nord ont retrouvé l'ARS et la CPAM à Figeac. "
          "En signant ce contrat, ils s'engagent pour cinq ans.",
          [("signature", "2022-04-04", "day")]),
    _case("newspaper: gerund, year from a month header",
          "date 2022-04\nLe Ribéracois s'organise\n\nCe mardi 12 avril a lancé un partenariat entre les soignants "
          "du Ribéracois, l'ARS et la caisse primaire. En paraphant cette convention, ils se donnent une feuille de route.",
          [("publication", "2022-04-01", "month"), ("signature", "2022-04-12", "day")]),
    # negatives: other signatures
    _case("negative: the national agreement signed with the unions",
          "L'accord signé le 4 avril 2019 entre l'Assurance Maladie et les syndicats fixe le cadre des CPTS.", []),
    _case("negative: the national federation's count of signed CPTS",
          "La Fédération nationale des CPTS le rappelait en novembre dernier : 520 communautés ont déjà signé leur contrat.", []),
    _case("negative: the national agreement's date", "L'accord conventionnel interprofessionnel du 20 avril 2019 encadre les CPTS.", []),
    _case("negative: a law's name", "La loi du 24 juillet 2019 relative à l'organisation du système de santé prévoit les CPTS.", []),
    _case("negative: a decree in the Journal officiel", "Le décret paru au Journal officiel le 3 mars 2022 précise le rôle des CPTS.", []),
    _case("negative: a byline is no signature", "Dossier signé Paul Lemercier\n\nLa CPTS du Scorff a réuni 50 soignants le 4 juin 2021.",
          [("other", "2021-06-04", "day")]),
    _case("negative: a meeting is no signature", "La CPTS se réunira le 15 mars 2023 pour son assemblée générale.",
          [("other", "2023-03-15", "day")]),
    _case("negative: the other CPTS, 'la première, qui'",
          "Il s'agit de la deuxième CPTS de l'Aube : la première, qui couvre le nord du département, "
          "avait été signée en mars 2021 par 60 soignants.", []),
    _case("negative: 'l'autre CPTS du département'",
          "Il s'agit de la troisième CPTS du Cantal : l'autre CPTS du département, qui couvre Aurillac, "
          "avait signé son contrat en juin 2021.", []),
    _case("negative: 'une CPTS voisine'", "Une CPTS voisine, celle du Mellois, avait signé dès novembre 2020.", []),
]


@pytest.mark.parametrize("text,expected", CREATION + SIGNATURE)
def test_roles(nlp, text, expected):
    facts = _segmented_dates(nlp, text)
    assert _rows(facts) == sorted(expected)
    assert all(fact.rule for fact in facts)


@pytest.mark.parametrize(
    "text,expected",
    [
        pytest.param(
            "Le contrat de la CPTS du Val de Saône a été signé le 8 mars 2022. La CPTS du Val de Saône compte "
            "90 membres. La CPTS Bresse Nord avait signé le 14 janvier 2021.",
            [("signature", "2022-03-08", "day")],
            id="another named CPTS in its own sentence",
        ),
        pytest.param(
            "La CPTS de l'Aunis a signé son contrat le 6 mai 2021 avec l'ARS. La CPTS de l'Aunis réunit 80 soignants. "
            "Elle a signé un an après la CPTS Aunis Sud, qui avait signé en mai 2020.",
            [("signature", "2021-05-06", "day")],
            id="another named CPTS last before the date",
        ),
    ],
)
def test_dates_of_another_named_cpts_are_dropped(nlp, text, expected):
    """With the CPTS names read (the whole pipeline), a date after another CPTS's name is that CPTS's."""
    assert _rows(nlp(text)._.dates) == expected


def test_rule_names_the_pattern_row(nlp):
    facts = _segmented_dates(nlp, "Lancée en juin 2021, la CPTS du Lauragais a signé son contrat le 2 mai 2023.")
    assert {(f.role, f.rule) for f in facts} == {("creation", "date_creation_launch"), ("signature", "date_signature_cue")}
