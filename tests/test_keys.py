import pytest

from pipeline.keys import cpts_key

CASES = [
    ("CPTS des Monts du Lyonnais", "monts-du-lyonnais"),
    ("CPTS « Vallée du Gier »", "vallee-du-gier"),
    ("CPTS Cœur de Savoie", "coeur-de-savoie"),
    ("CPTS Pays d'Aubagne et de l'Étoile", "pays-d-aubagne-et-de-l-etoile"),
    ("CPTS Pays d’Aubagne et de l’Étoile", "pays-d-aubagne-et-de-l-etoile"),
    ("CPTS de l'Est Lyonnais (ECEGEC)", "est-lyonnais"),
    ("Communauté professionnelle territoriale de santé du Grand Annecy", "grand-annecy"),
    ("Communauté Professionnelle Territoriale de Santé (CPTS) de la Dombes", "dombes"),
    ('CPTS "Sud Lyon"', "sud-lyon"),
    ("CPTS Loire & Forez", "loire-forez"),
    ("CPTS ŒUVRE COMMUNE", "oeuvre-commune"),
    ("CPTS des 3 Vallées", "3-vallees"),
    ("CPTS d'Artois", "artois"),
    ("CPTS Presqu'île de Rhuys", "presqu-ile-de-rhuys"),
    ("CPTS « Terres d’Oc »", "terres-d-oc"),
    ("CPTS du territoire de Lannion", "territoire-de-lannion"),
    ("CPTS Sud Ard’Ouvèze", "sud-ard-ouveze"),
    ("CPTS LE TRÉGOR", "tregor"),
    ("Redon", "redon"),
    ("Le Mans", "mans"),
]


@pytest.mark.parametrize("name,key", CASES, ids=[c[1] for c in CASES])
def test_cpts_key(name, key):
    assert cpts_key(name) == key
