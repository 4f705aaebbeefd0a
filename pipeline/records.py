"""Typed records that the stages pass forward.

Every extracted fact keeps its evidence beside its value, as price-parser's
``Price`` keeps ``amount_text``: ``text`` is the snippet as it stands in the
normalised document text, ``char_start``/``char_end`` its offsets, so that
``doc_text[char_start:char_end] == text`` always holds.

Closed value lists (funders, purposes, roles, ...) are the output contract's
(``../shared/docs/output-contract.md``); they are spelled here as ``Literal``
types so a typo is a type error, and checked again by the writer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal, NamedTuple, NewType

CptsKey = NewType("CptsKey", str)
"""Slug of a CPTS territory name (see ``pipeline.keys.cpts_key``)."""

DocId = NewType("DocId", str)
"""First 16 hex digits of the SHA-256 of the raw file's bytes."""

Status = Literal["ok", "not_cpts", "rejected"]
Qualifier = Literal["exact", "approx", "at_least", "at_most"]
Funder = Literal["assurance_maladie", "ars", "other"]
Purpose = Literal[
    "signature_payment",
    "health_project",
    "first_year",
    "annual",
    "multi_year",
    "mission_funding",
    "other",
]
DatePrecision = Literal["day", "month", "season", "year", "no_year"]
DateRole = Literal["signature", "publication", "creation", "deadline", "other"]
MissionCode = Literal[
    "acces_soins",
    "parcours",
    "prevention",
    "crise_sanitaire",
    "qualite_pertinence",
    "accompagnement_professionnels",
]
MissionStatus = Literal["socle", "optionnelle"]
PlaceKind = Literal["commune", "epci", "departement", "region", "canton"]
PlaceRole = Literal["territory", "mentioned"]
FigureKind = Literal["population", "communes", "members"]
HeadcountCategory = Literal[
    "members",
    "professionals_on_territory",
    "patients_without_gp",
    "medecin_generaliste",
    "medecin_specialiste",
    "pharmacien",
    "infirmier",
    "sage_femme",
    "chirurgien_dentiste",
    "masseur_kinesitherapeute",
    "orthophoniste",
    "orthoptiste",
    "psychologue",
    "psychomotricien",
    "ergotherapeute",
    "dieteticien",
    "osteopathe",
    "podologue",
    "msp",
    "centre_sante",
    "centre_hospitalier",
    "clinique",
    "ehpad",
    "ehpad_beds",
    "ssiad",
    "service_aide_domicile",
]


class Rejected(NamedTuple):
    """A span a rule component saw and turned down, for ``python -m pipeline explain``: never a fact.

    ``rule`` is the id of the pattern row or the rule name that decided (as a
    fact's ``rule``), ``why`` a short reason in words (empty: the rule id says it).
    """

    start: int
    end: int
    rule: str
    why: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Evidence:
    """Where a fact was read: the snippet and its offsets in the normalised text."""

    text: str
    char_start: int
    char_end: int
    rule: str = ""
    """Id of the pattern row or rule that produced the fact (``pipeline/patterns/*.jsonl`` ``id``)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceDocument:
    """One raw file after ingest: decoded, cleaned, hashed.

    ``text`` is the normalised text every offset refers to. A file that could
    not be read has ``status="rejected"``, an ``error`` and an empty ``text``.
    """

    doc_id: DocId
    source_path: str
    source_format: str
    text: str
    status: Status = "ok"
    error: str | None = None
    title: str | None = None
    published_hint: date | None = None
    """Publication date given by the container (HTML metadata), if any."""
    duplicate_paths: tuple[str, ...] = ()
    """Other paths under the raw folder with the very same bytes."""
    encoding: str | None = None
    """Charset the bytes were decoded from (``utf-8``, ``cp1252``...); None for HTML/PDF readers' own decoding."""
    warnings: tuple[str, ...] = ()
    """Problems that did not stop extraction ("2 invalid UTF-8 bytes replaced at offsets 3000, 3001")."""


NameSource = Literal["explicit", "acronym", "headline_place", "territory_town"]
"""How a CPTS got its name: written as a CPTS name ("CPTS du Val de Sèvre", "la communauté
professionnelle territoriale de santé de X", "baptisée « X »"), a name that is only an acronym
("CPTS GIPS"), the place of the headline of a text that never names it ("Vitré. Les soignants
libéraux se fédèrent"), or the main town of its territory, given as its seat ("la CPTS, basée à X")."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CptsName(Evidence):
    """A CPTS named in the text: ``name`` as written, ``key`` its slug."""

    name: str
    key: CptsKey
    source: NameSource = "explicit"


@dataclass(frozen=True, slots=True, kw_only=True)
class Person(Evidence):
    """A named person with a role in the CPTS (``president`` for now)."""

    name: str
    role: Literal["president"] = "president"


@dataclass(frozen=True, slots=True, kw_only=True)
class Figure(Evidence):
    """A declared figure of the CPTS: population, number of communes or members."""

    kind: FigureKind
    value: int
    qualifier: Qualifier = "exact"
    labelled: bool = False
    """Read from a label line ("Population couverte : 48 780"), the communiqué's own summary."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Amount(Evidence):
    """A sum of money in euros with who pays it and what for."""

    value: int
    funder: Funder = "other"
    purpose: Purpose = "other"
    period_years: int | None = None
    is_maximum: bool = False
    conditional: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class DateFact(Evidence):
    """A dated event. ``value`` is None when the text gives no year (``no_year``)."""

    value: date | None
    precision: DatePrecision
    role: DateRole = "other"


@dataclass(frozen=True, slots=True, kw_only=True)
class Headcount(Evidence):
    """A count of people or structures (members, a profession, MSP, EHPAD beds...)."""

    category: HeadcountCategory
    count: int
    qualifier: Qualifier = "exact"


@dataclass(frozen=True, slots=True, kw_only=True)
class Mission(Evidence):
    """An ACI mission assigned to the CPTS; ``text`` is the heading or phrase."""

    mission: MissionCode
    status: MissionStatus | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Theme(Evidence):
    """A prevention or care theme (santé mentale, obésité pédiatrique, ...)."""

    theme: str
    mission: MissionCode | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PlaceMention(Evidence):
    """A place name as written, before resolution against the COG.

    ``dept_hint`` is a département code read from the context (a list heading
    such as "Communes du Rhône", "(42)" in the title); ``list_id`` groups the
    names of one enumerated list so they can disambiguate each other.
    """

    name: str
    kind: PlaceKind = "commune"
    role: PlaceRole = "territory"
    dept_hint: str | None = None
    list_id: int | None = None
    epci_type: str | None = None
    """Legal form of an intercommunalité (CC, CA, CU, METRO) when the text gives it."""
    region_hint: str | None = None
    """Région code of a région named in the text ("ARS Occitanie" -> 76)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ParsedDocument:
    """Everything the parse stage read in one document."""

    source: SourceDocument
    cpts: list[CptsName] = field(default_factory=list)
    """The CPTS the document is about (usually one); first is the main one."""
    cpts_mentions: list[CptsName] = field(default_factory=list)
    """Every CPTS mention, including other CPTS named in passing."""
    people: list[Person] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)
    dates: list[DateFact] = field(default_factory=list)
    headcounts: list[Headcount] = field(default_factory=list)
    missions: list[Mission] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    published_on: date | None = None
    title: str | None = None
    title_places: list[PlaceMention] = field(default_factory=list)
    """Départements and régions a title names when the title is not in the text (an HTML page's
    ``<title>``): read by the parse stage so that normalise never reads text itself. Their offsets
    point into ``title``, not into the text."""


CommuneMethod = Literal["exact", "normalized", "fuzzy", "context", "epci", "unresolved", "ambiguous"]


@dataclass(frozen=True, slots=True, kw_only=True)
class CommuneRow:
    """A place mention resolved against the COG, or one commune of an expanded EPCI.

    Columns of the contract's ``communes`` table less ``doc_id``/``cpts_key``.
    Offsets are None for rows expanded from an EPCI.
    """

    role: PlaceRole
    mention: str
    insee_code: str | None
    commune_name: str | None
    departement_code: str | None
    population: int | None
    method: CommuneMethod
    score: float
    epci_siren: str | None
    cog_year: int
    char_start: int | None
    char_end: int | None
    cog_code: str | None = None
    """The code in the ``cog_year`` millésime, before following mergers to ``insee_code``."""
    rule: str = ""
    """Id of the rule that found the mention (for an EPCI expansion, the rule that found the EPCI)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Territory:
    """The resolved territory of one CPTS and the figures a dashboard sets against the declared ones."""

    communes: list[CommuneRow]
    departement_codes: list[str]
    region_code: str | None
    communes_resolved: int
    population_reference: int | None
    cog_year: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Check:
    """A discrepancy between a declared figure and what the pipeline derived."""

    check: str
    """Short code, e.g. ``communes_count``, ``population_vs_reference``."""
    declared: float | None
    derived: float | None
    message: str
