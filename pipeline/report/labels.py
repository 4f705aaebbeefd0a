"""French labels of the codes the tables hold: the page is read by French analysts.

The codes themselves (``assurance_maladie``, ``multi_year``) stay in the
tooltips' data where an analyst filters on them; the page shows words.
Unknown codes (a value added to a closed list later) show as themselves.
"""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "funder": {"assurance_maladie": "Assurance Maladie", "ars": "ARS", "other": "autre financeur"},
    "purpose": {
        "signature_payment": "versement à la signature", "health_project": "projet de santé",
        "first_year": "première année", "annual": "annuel", "multi_year": "pluriannuel",
        "mission_funding": "financement des missions", "other": "autre",
    },
    "kind": {
        "paid_once": "versement ponctuel", "annual": "par an", "annual_ceiling": "plafond annuel",
        "total_over_period": "total sur la période", "total_ceiling_over_period": "plafond sur la période",
        "period_unknown": "période non précisée",
    },
    "date_role": {
        "signature": "signature", "publication": "publication", "creation": "création",
        "deadline": "échéance", "other": "autre",
    },
    "precision": {"day": "jour", "month": "mois", "season": "saison", "year": "année", "no_year": "année inconnue"},
    "qualifier": {"exact": "exact", "approx": "environ", "at_least": "au moins", "at_most": "au plus"},
    "mission": {
        "acces_soins": "accès aux soins", "parcours": "parcours", "prevention": "prévention",
        "crise_sanitaire": "crise sanitaire", "qualite_pertinence": "qualité et pertinence",
        "accompagnement_professionnels": "accompagnement des professionnels",
    },
    "mission_status": {"socle": "socle", "optionnelle": "optionnelle"},
    "role": {"territory": "territoire", "mentioned": "cité, hors territoire"},
    "method": {
        "exact": "exact", "normalized": "normalisé", "fuzzy": "approché", "context": "par le contexte",
        "epci": "membre d'un EPCI", "unresolved": "non résolu", "ambiguous": "ambigu",
    },
    "status": {"ok": "extrait", "not_cpts": "pas une CPTS", "rejected": "rejeté"},
    "field": {
        "population_declared": "population déclarée", "communes_declared": "communes déclarées",
        "members_declared": "adhérents", "president": "président·e",
    },
    "category": {
        "members": "adhérents", "professionals_on_territory": "professionnels du territoire",
        "patients_without_gp": "patients sans médecin traitant",
    },
}  # fmt: skip


def label(kind: str, code: object) -> str:
    """The French label of ``code`` in list ``kind``; the code itself when unknown, a dash when None."""
    if code is None:
        return "—"
    return LABELS.get(kind, {}).get(str(code), str(code))


def number(value: float | None, unit: str = "") -> str:
    """A number the French way (narrow no-break space between thousands), or a dash when unknown."""
    if value is None:
        return "—"
    text = f"{round(value):,}".replace(",", "\u202f")
    return f"{text}\u00a0{unit}" if unit else text


def day(value) -> str:
    """A date as ISO (sortable, unambiguous), or a dash."""
    return value.isoformat() if value else "—"
