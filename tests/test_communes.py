"""Resolution of commune names and territories against the COG reference."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.normalise.cog import epci_key, load_reference, place_key
from pipeline.normalise.communes import resolve_territory, territory_checks
from pipeline.records import Figure, PlaceMention

ROOT = Path(__file__).resolve().parents[1]
AMBIGUOUS = "ambiguous"
UNRESOLVED = "unresolved"


@pytest.fixture(scope="module")
def ref():
    return load_reference(ROOT / "raw" / "reference")


def _mention(name: str, *, start: int = 0, hint: str | None = None, list_id: int | None = 1, **kw) -> PlaceMention:
    return PlaceMention(text=name, char_start=start, char_end=start + len(name), name=name, dept_hint=hint,
                        list_id=list_id, **kw)


def _resolve_one(ref, name: str, hint: str | None = None, title: str | None = None, year: int | None = None):
    """``title`` stands for an HTML page's title, which is not in the text: its places come from the parse stage."""
    territory = resolve_territory([_mention(name, hint=hint)], year=year, title=title, text=name, reference=ref,
                                  title_places=_title_places(title))
    return territory.communes[0]


def _title_places(title: str | None) -> list:
    """What the parse stage reads in a title that is not in the text (``ParsedDocument.title_places``)."""
    from pipeline.parse.places.admin import find_departements, find_regions

    return [*find_departements(title), *find_regions(title)] if title else []


# (name as written, département hint, title giving context, expected code or ambiguous/unresolved)
SPELLINGS = [
    ("Saint-Étienne", None, None, "42218"),
    ("St-Étienne", None, None, "42218"),
    ("ST ETIENNE", None, None, "42218"),
    ("Saint Etienne", None, None, "42218"),
    ("Clermont Ferrand", None, None, "63113"),
    ("Aix en Provence", None, None, "13001"),
    ("Boulogne sur Mer", None, None, "62160"),
    ("Ste-Foy-lès-Lyon", None, None, "69202"),
    ("Sainte Foy les Lyon", None, None, "69202"),
    ("L'Hay les Roses", None, None, "94038"),
    ("L’Haÿ-les-Roses", None, None, "94038"),
    ("Le Puy en Velay", None, None, "43157"),
    ("Puy-en-Velay (Le)", None, None, "43157"),
    ("Charleville Mezieres", None, None, "08105"),
    ("Fort de France", None, None, "97209"),
    ("Villeneuve d'Ascq", None, None, "59009"),
    ("Villeneuve-d’Ascq", None, None, "59009"),
    ("Chalons en Champagne", None, None, "51108"),
    ("St-Germain-en-Laye", None, None, "78551"),
    ("St Martin d'Heres", None, None, "38421"),
    ("Noirmoutier en l'Ile", None, None, "85163"),
    ("Neuilly sur Seine", None, None, "92051"),
    ("Saint-Genis- L'Argentière", None, None, "69203"),
    ("Saint Clément-les-places", None, None, "69187"),
    ("Saint-Pierre-Lapalud", None, None, "69231"),
    ("Halles (Les)", None, None, "69098"),
    ("Arbresle", None, None, "69010"),
    ("Ajaccio", None, None, "2A004"),
    ("Bastia", None, None, "2B033"),
    ("Pointe-à-Pitre", None, None, "97120"),
    ("Paris 15e", None, None, "75115"),
    ("Lyon 3e Arrondissement", None, None, "69383"),
    ("Thue et Mue", None, None, "14098"),
    ("Clermond-Ferrand", None, None, "63113"),
    ("Chambost-Longesaigne", "69", None, "69038"),
    ("Annecy-le-Vieux", None, None, "74010"),
    ("Thorens-Glières", None, None, "74282"),
    ("Evires", None, None, "74282"),
    ("Pringy", None, None, AMBIGUOUS),
    ("Pringy", "74", None, "74010"),
    ("Pringy", None, "Haute-Savoie : une CPTS autour d'Annecy", "74010"),
    ("Noyelles-les-Seclin", None, None, "59437"),
    ("Marquette-lès-Lille", None, None, "59386"),
    ("Annoeullin", None, None, "59011"),
    ("Schoeneck", None, None, "57638"),
    ("Abymes", None, None, "97101"),
    ("Gosier", None, None, "97113"),
    ("Le Lamentin", None, None, "97213"),
    ("Lamentin", None, None, "97115"),
    ("Lens", None, None, "62498"),
    ("Cherbourg-Octeville", None, None, "50129"),
    ("Saint-Denis", None, None, AMBIGUOUS),
    ("Saint-Denis", None, "Signature en Seine-Saint-Denis (93)", "93066"),
    ("Saint-Denis", "93", None, "93066"),
    ("Saint-Denis", "974", None, "97411"),
    ("Chateauneuf", "42", None, "42053"),
    ("Châteauneuf", None, "Organisation des soins dans la Loire (42)", "42053"),
    ("Châteauneuf", None, None, AMBIGUOUS),
    ("Saint-Joseph", None, "Une nouvelle CPTS dans la Loire", "42242"),
    ("Bully", "69", None, "69032"),
    ("Bully", "42", None, "42027"),
    ("Valence", None, None, AMBIGUOUS),
    ("Valence", "26", None, "26362"),
    ("Montreuil", None, None, AMBIGUOUS),
    ("Montreuil", None, "CPTS de Montreuil (93)", "93048"),
    ("Sainte-Marie", "974", None, "97418"),
    ("Beaumont", None, None, AMBIGUOUS),
    ("Beaumont", "63", None, "63032"),
    ("Oeuilly", None, None, AMBIGUOUS),
    ("Œuilly", "51", None, "51410"),
    ("Pont-de-Beauvoisin", "38", None, "38315"),
    ("Savigny", "69", None, "69175"),
    ("Montpelier", None, None, UNRESOLVED),
    ("Bessenai", "69", None, UNRESOLVED),
    ("Xyzville", None, None, UNRESOLVED),
]


@pytest.mark.parametrize(
    ("name", "hint", "title", "expected"),
    SPELLINGS,
    ids=[f"{n}|{h or ''}|{'title' if t else ''}->{e}" for n, h, t, e in SPELLINGS],
)
def test_spelling_variants_and_homonyms(ref, name, hint, title, expected):
    row = _resolve_one(ref, name, hint, title)
    if expected in (AMBIGUOUS, UNRESOLVED):
        assert (row.method, row.insee_code) == (expected, None)
    else:
        assert row.insee_code == expected
        assert row.method in ("exact", "normalized", "fuzzy", "context")


@pytest.mark.parametrize(
    ("written", "official"),
    [
        ("St-Genis-l'Argentière", "Saint-Genis-l'Argentière"),
        ("SAINTE FOY L’ARGENTIERE", "Sainte-Foy-l'Argentière"),
        ("Bessat (Le)", "Le Bessat"),
        ("Cœur", "Coeur"),
        ("Fleurieux s/ l'Arbresle", "Fleurieux-sur-l'Arbresle"),
    ],
)
def test_place_key_merges_writings(written, official):
    assert place_key(written) == place_key(official)


@pytest.mark.parametrize(
    ("written", "official"),
    [
        ("communauté d'agglomération du Roannais", "CA Roannais Agglomération"),
        ("Vals d'Aix et d'Isable", "CC des Vals d'Aix et Isable"),
        ("communauté de communes Cœur de Savoie", "CC Coeur de Savoie"),
    ],
)
def test_epci_key_drops_legal_form_and_small_words(written, official):
    assert epci_key(written) == epci_key(official)


def test_method_exact_normalized_fuzzy(ref):
    assert _resolve_one(ref, "Roanne").method == "exact"
    assert _resolve_one(ref, "ROANNE").method == "normalized"
    fuzzy = _resolve_one(ref, "Clermond-Ferrand")
    assert fuzzy.method == "fuzzy" and 0.88 <= fuzzy.score < 1


def test_old_code_follows_merger_to_current_code(ref):
    row = _resolve_one(ref, "Annecy-le-Vieux", year=2021)
    assert (row.insee_code, row.cog_code, row.commune_name) == ("74010", "74011", "Annecy")
    assert ref.current_code("74011", 2020) == "74010"
    assert ref.current_code("42218", 2020) == "42218"


def test_year_picks_the_millesime(ref):
    assert ref.cog_year(None) == ref.newest
    assert ref.cog_year(2015) == ref.years[0]
    assert ref.cog_year(2021) == 2021


def test_same_list_disambiguates_a_homonym(ref):
    """Trèves exists in Gard and Rhône: its neighbours in the list are in Loire and Rhône."""
    names = ["Rive-de-Gier", "Longes", "Trèves", "Tartaras"]
    places, pos = [], 0
    for name in names:
        places.append(_mention(name, start=pos))
        pos += len(name) + 2
    territory = resolve_territory(places, year=2021, title=None, text=", ".join(names), reference=ref)
    assert [r.insee_code for r in territory.communes] == ["42186", "69119", "69252", "42307"]
    assert territory.communes[2].method == "context"
    assert territory.departement_codes == ["42", "69"] and territory.region_code == "84"


def test_list_split_at_et_is_rejoined(ref):
    text = "Communes : Caen, Thue et Mue"
    places = [_mention("Caen", start=11), _mention("Thue", start=17), _mention("Mue", start=25)]
    territory = resolve_territory(places, year=2021, title=None, text=text, reference=ref)
    assert [(r.mention, r.insee_code) for r in territory.communes] == [("Caen", "14118"), ("Thue et Mue", "14098")]


def test_epci_is_expanded_into_member_communes(ref):
    text = "Le territoire couvre la communauté de communes du Pays d'Urfé."
    epci = _mention("communauté de communes du Pays d'Urfé", start=24, list_id=None, kind="epci", epci_type="CC")
    territory = resolve_territory([epci], year=2021, title=None, text=text, reference=ref)
    assert {r.method for r in territory.communes} == {"epci"}
    assert {r.epci_siren for r in territory.communes} == {"244200820"}
    assert territory.communes_resolved == len(territory.communes) == 11
    assert all(r.char_start is None and r.role == "territory" for r in territory.communes)
    assert territory.departement_codes == ["42"]


def test_unknown_epci_gives_one_unresolved_row(ref):
    epci = _mention("communauté de communes des Trois Lacs Imaginaires", list_id=None, kind="epci")
    territory = resolve_territory([epci], year=2021, title=None, text=epci.text, reference=ref)
    assert [(r.method, r.insee_code, r.epci_siren) for r in territory.communes] == [(UNRESOLVED, None, None)]
    assert territory.communes_resolved == 0


def test_mentioned_epci_is_not_expanded(ref):
    epci = _mention("communauté de communes du Pays d'Urfé", list_id=None, kind="epci", role="mentioned")
    territory = resolve_territory([epci], year=2021, title=None, text=epci.text, reference=ref)
    assert territory.communes == []


def test_departements_from_title_when_nothing_resolves(ref, nlp):
    title = "Signature du premier contrat dans le Puy-de-Dôme (63)"
    pontgibaud = _mention("Pontgibaud", list_id=None, role="mentioned")
    places = [pontgibaud, *nlp(title)._.places]
    territory = resolve_territory(places, year=2020, title=title, text=title, reference=ref)
    assert territory.departement_codes == ["63"] and territory.region_code == "84"
    assert territory.communes_resolved == 0 and territory.population_reference is None
    assert territory.communes[0].insee_code == "63285"


# A short name may stand for a longer one ("centre hospitalier de Lagny" for Lagny-sur-Marne):
# (name, role, title giving context, expected code or ambiguous)
SHORT_NAMES = [
    ("longer-name-in-the-stated-departement", "Lagny", "mentioned", "Seine-et-Marne : trois CPTS signent", "77243"),
    ("own-name-in-the-stated-departement", "Lagny", "mentioned", "Une nouvelle CPTS dans l'Oise", "60340"),
    ("departement-beats-region", "Charleville", "mentioned", "Une CPTS dans les Ardennes", "08105"),
    ("no-context-mentioned-stays-ambiguous", "Lagny", "mentioned", None, AMBIGUOUS),
    ("no-context-territory-keeps-its-name", "Lagny", "territory", None, "60340"),
    ("no-exact-name-two-longer-ones", "Châlons", "mentioned", "Une CPTS dans la Marne", AMBIGUOUS),
]


@pytest.mark.parametrize(
    ("name", "role", "title", "expected"), [c[1:] for c in SHORT_NAMES], ids=[c[0] for c in SHORT_NAMES]
)
def test_short_name_and_longer_names(ref, name, role, title, expected):
    place = _mention(name, list_id=None, role=role)
    row = resolve_territory([place], year=None, title=title, text=name, reference=ref,
                            title_places=_title_places(title)).communes[0]
    if expected == AMBIGUOUS:
        assert (row.method, row.insee_code) == (AMBIGUOUS, None)
    else:
        assert row.insee_code == expected


def test_longer_names_leave_out_arrondissements(ref):
    assert {c.code for c in ref.longer_names("Lagny", ref.newest)} == {"60341", "77243"}
    assert all(not c.code.startswith("132") for c in ref.longer_names("Marseille", ref.newest))


def test_old_names_of_one_commune_nouvelle_count_once(ref):
    """Annecy-le-Vieux and Pringy are both communes déléguées of Annecy: one territory commune."""
    text = "Communes : Annecy-le-Vieux, Pringy, Argonay"
    places = [_mention("Annecy-le-Vieux", start=11), _mention("Pringy", start=28), _mention("Argonay", start=36)]
    territory = resolve_territory(places, year=None, title=None, text=text, reference=ref)
    assert [r.insee_code for r in territory.communes] == ["74010", "74010", "74019"]
    assert territory.communes_resolved == 2 and territory.departement_codes == ["74"]


def _figure(kind: str, value: int) -> Figure:
    return Figure(text=str(value), char_start=0, char_end=len(str(value)), kind=kind, value=value)


def test_checks_flag_count_and_population_gaps(ref):
    names = ["Roanne", "Riorges", "Mably"]
    places = [_mention(n, start=10 * i) for i, n in enumerate(names)]
    territory = resolve_territory(places, year=2021, title=None, text=" " * 40, reference=ref)
    assert territory.communes_resolved == 3
    population = territory.population_reference
    assert population > 40_000
    ok = territory_checks([_figure("communes", 3), _figure("population", round(population * 1.05))], territory)
    assert ok == []
    bad = territory_checks([_figure("communes", 5), _figure("population", population * 2)], territory)
    assert [c.check for c in bad] == ["communes_count", "population_vs_reference"]
    assert bad[0].declared == 5 and bad[0].derived == 3


def test_no_count_check_without_resolved_communes(ref):
    territory = resolve_territory([], year=2021, title=None, text="", reference=ref)
    assert territory_checks([_figure("communes", 38)], territory) == []


# The shipped communiqués against their gold.
GOLD = sorted((ROOT / "tests" / "gold").glob("*.json"))


@pytest.fixture(scope="module")
def nlp():
    from pipeline.parse.nlp import build_nlp

    return build_nlp()


@pytest.mark.parametrize("gold_path", GOLD, ids=[p.stem[:3] for p in GOLD])
def test_shipped_texts_match_gold_territory(nlp, ref, gold_path):
    from pipeline.ingest import normalise_text

    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    text = normalise_text((ROOT / "raw" / gold["doc"]).read_text(encoding="utf-8"))
    signature = gold["cpts"][0]["signature_date"]
    territory = resolve_territory(
        nlp(text)._.places,
        year=int(signature[:4]) if signature else None,
        title=text.split("\n")[0],
        text=text,
        reference=ref,
    )
    rows = territory.communes
    communes = {r.insee_code for r in rows if r.role == "territory" and r.method != "epci" and r.insee_code}
    epcis = {r.epci_siren for r in rows if r.method == "epci"}
    assert communes == set(gold["territory_communes"])
    assert epcis == set(gold["territory_epcis"])
    assert territory.departement_codes == sorted(gold["cpts"][0]["departement_codes"])
    assert territory.region_code == gold["cpts"][0]["region_code"]
    for row in rows:
        if row.char_start is not None:
            assert text[row.char_start : row.char_end] == row.mention


def _stated(ref, nlp, text: str, places: list[PlaceMention] | None = None, title: str | None = None):
    """What the parse stage reads in the title (the text's first line) and the text gives the territory."""
    full = f"{title}\n{text}" if title else text
    parsed = places if places is not None else nlp(full)._.places
    territory = resolve_territory(parsed, year=2023, title=title, text=full, reference=ref)
    return territory.departement_codes, territory.region_code


# When no territory commune resolves: what the text states, strongest first.
STATED = [
    ("named-in-title", "", "Une nouvelle CPTS en Saône-et-Loire", (["71"], "27")),
    ("line-opening-kicker", "Haute-Corse : la CPTS du Cap signe\nLa caisse primaire a signé.", None, (["2B"], "94")),
    ("funder-only", "Le contrat est signé avec la CPAM du Var.", None, (["83"], "93")),
    ("territory-beats-funder", "Une CPTS dans le Rhône. Contrat avec la CPAM de la Loire.", None, (["69"], "84")),
    ("region-only", "Le contrat est signé avec l'ARS Occitanie.", None, ([], "76")),
    ("overseas-region-gives-its-departement", "Signature avec l'ARS La Réunion.", None, (["974"], "04")),
    ("two-regions-give-none", "L'ARS Bretagne et l'ARS Normandie.", None, ([], None)),
    ("whole-departement", "La CPTS couvre tout le département de la Lozère.", None, (["48"], "76")),
    ("overseas-number-in-title", "", "Guadeloupe (971) : la CPTS signe", (["971"], "01")),
    ("overseas-caisse", "Le contrat est signé avec la CGSS de la Martinique.", None, (["972"], "02")),
    ("mayotte-ars", "Signature avec l'ARS Mayotte.", None, (["976"], "06")),
    ("nothing-stated", "La CPTS a signé son contrat.", None, ([], None)),
]


@pytest.mark.parametrize(("text", "title", "expected"), [c[1:] for c in STATED], ids=[c[0] for c in STATED])
def test_departements_and_region_as_stated(ref, nlp, text, title, expected):
    assert _stated(ref, nlp, text, title=title) == expected


def test_resolved_communes_beat_the_funder(ref, nlp):
    text = "Communes : Trévoux, Reyrieux. Contrat signé avec la CPAM du Var."
    assert _stated(ref, nlp, text) == (["01"], "84")


def test_a_canton_gives_its_departement_not_communes(ref):
    canton = _mention("Châteaumeillant", list_id=None, kind="canton")
    territory = resolve_territory([canton], year=2022, title=None, text="", reference=ref)
    assert territory.communes == [] and territory.communes_resolved == 0
    assert (territory.departement_codes, territory.region_code) == (["18"], "24")


def test_an_ambiguous_canton_gives_nothing(ref, nlp):
    canton = _mention("Saint-Bernard", list_id=None, kind="canton")
    assert _stated(ref, nlp, "", [canton]) == ([], None)


def test_epci_names_cut_at_et_are_rejoined(ref):
    text = "le Lodévois et Larzac"
    places = [
        _mention("Lodévois", start=3, list_id=None, kind="epci", epci_type="CC"),
        _mention("Larzac", start=15, list_id=None, kind="epci", epci_type="CC"),
    ]
    territory = resolve_territory(places, year=2022, title=None, text=text, reference=ref)
    assert {r.epci_siren for r in territory.communes} == {"200017341"}


def test_two_epcis_joined_by_et_stay_two(ref):
    text = "Montfort Communauté et Brocéliande Communauté"
    places = [
        _mention("Montfort Communauté", start=0, list_id=None, kind="epci", epci_type="CC"),
        _mention("Brocéliande Communauté", start=23, list_id=None, kind="epci", epci_type="CC"),
    ]
    territory = resolve_territory(places, year=2022, title=None, text=text, reference=ref)
    assert {r.epci_siren for r in territory.communes} == {"243500550", "243500618"}


@pytest.mark.parametrize(("name", "code"), [("Marseille 13e", "13213"), ("Lyon 1er", "69381"), ("Paris 20e", "75120")])
def test_arrondissements_resolve_to_their_own_code(ref, name, code):
    assert _resolve_one(ref, name).insee_code == code


@pytest.mark.parametrize(
    ("gap", "taken_out"),
    [(2, {"56069", "56181"}), (400, set())],
    ids=["left-out-right-after-the-epci", "a-town-named-far-away-stays"],
)
def test_communes_left_out_are_taken_out_of_the_epci(ref, gap, taken_out):
    """"La CPTS couvre Lorient Agglomération, sauf Groix et Port-Louis": the territory is the EPCI minus them;
    Port-Louis (a homonym in Guadeloupe) is narrowed by the EPCI's own members."""
    epci_name = "Lorient Agglomération"
    epci = _mention(epci_name, start=16, list_id=None, kind="epci", role="territory")
    first = 16 + len(epci_name) + gap
    left_out = [
        _mention("Groix", start=first, list_id=7, role="mentioned", rule="excluded_before"),
        _mention("Port-Louis", start=first + 9, list_id=7, role="mentioned", rule="excluded_before"),
    ]
    text = " " * (first + 40)
    territory = resolve_territory([epci, *left_out], year=2023, title=None, text=text, reference=ref)
    members = {r.insee_code for r in territory.communes if r.method == "epci"}
    assert len(members) == 25 - len(taken_out) and not members & taken_out


@pytest.mark.parametrize(
    ("cpts_name", "phrase", "members"),
    [
        ("CPTS Terre d'Auge", "l'ensemble de la communauté de communes", 44),
        ("CPTS Terre d'Auge", "les 44 communes de la communauté de communes", 44),
        ("CPTS Terre d'Auge", "les 30 communes de la communauté de communes", 0),
        ("CPTS du Bocage normand", "l'ensemble de la communauté de communes", 0),
    ],
    ids=["named-after-its-cc", "count-agrees", "count-disagrees", "not-named-after-an-epci"],
)
def test_an_epci_covered_without_its_name_is_the_one_the_cpts_is_named_after(ref, cpts_name, phrase, members):
    epci = PlaceMention(text=phrase, char_start=10, char_end=10 + len(phrase), name="", kind="epci", epci_type="CC",
                        rule="places_epci_unnamed")
    territory = resolve_territory([epci], year=2023, title=None, text=" " * 80, reference=ref, name=cpts_name)
    assert len(territory.communes) == members
    assert {r.epci_siren for r in territory.communes} <= {"241400878"}
