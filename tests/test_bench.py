"""The benchmark corpus generator, its rewriting rules, and one small end-to-end benchmark."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from pipeline.bench.corpus import (
    _CORE,
    _NAME,
    _NUMBER,
    CorpusGenerator,
    _commune_list,
    _of,
    _rescale,
    _shifter,
    cut_seed,
    load_seeds,
)
from pipeline.bench import _edit, render, run_bench, scaling_sizes
from pipeline.catalog import RAW_DIR
from pipeline.parse.names import extract_cpts_names, main_cpts


def _main_keys(text: str) -> set[str]:
    from pipeline.parse.nlp import build_nlp

    return {m.key for m in main_cpts(extract_cpts_names(build_nlp().make_doc(text)))}


@pytest.fixture(scope="module")
def seeds():
    return load_seeds(RAW_DIR)


@pytest.fixture(scope="module")
def generator(seeds):
    return CorpusGenerator(seeds)


@pytest.mark.parametrize(
    ("written", "factor", "expected"),
    [
        pytest.param("116 250 €", 2.0, "232 500 €", id="amount-with-space"),
        pytest.param("15 000€", 1.5, "22 500€", id="amount-glued-euro-sign"),
        pytest.param("1 050 000 €", 0.5, "525 000 €", id="millions-not-split"),
        pytest.param("pour 870 euros", 1.0, "pour 870 euros", id="small-amount-in-words"),
        pytest.param("soit 40 513 habitants", 2.0, "soit 81 026 habitants", id="population"),
        pytest.param("Les 3 médecins et 21 infirmiers", 2.0, "Les 3 médecins et 21 infirmiers", id="small-counts-kept"),
        pytest.param("04 27 86 55 55", 3.0, "04 27 86 55 55", id="phone-number-kept"),
    ],
)
def test_rescale_numbers(written, factor, expected):
    assert _NUMBER.sub(lambda m: _rescale(m, factor), written) == expected


@pytest.mark.parametrize(
    ("written", "days", "expected"),
    [
        pytest.param("Lundi 5 octobre 2020", 1, "Mardi 6 octobre 2020", id="weekday-follows"),
        pytest.param("signé ce jeudi 11 février 2021", 7, "signé ce jeudi 18 février 2021", id="lowercase-weekday"),
        pytest.param("le 1er mars 2021", 30, "le 31 mars 2021", id="premier"),
        pytest.param("le 30 mars 2021", 2, "le 1er avril 2021", id="becomes-premier"),
        pytest.param("née en septembre 2019", 61, "née en novembre 2019", id="month-year"),
        pytest.param("d'ici décembre 2023", 31, "d'ici janvier 2024", id="month-year-crosses-year"),
        pytest.param("ce 07 décembre avec", 400, "ce 07 décembre avec", id="no-year-kept"),
        pytest.param("Ma Santé 2022", 400, "Ma Santé 2022", id="bare-year-kept"),
    ],
)
def test_shift_dates(written, days, expected):
    from pipeline.bench.corpus import _DATE

    assert _DATE.sub(_shifter(timedelta(days=days)), written) == expected


@pytest.mark.parametrize(
    ("line", "names"),
    [
        pytest.param("Ambert, Arlanc, Bertignat, Job, Marsac-en-Livradois, Saint-Ferréol-des-Côtes", 6, id="bare-list"),
        pytest.param("Communes membres : Le Bessat, Cellieu, Chagnon, Dargoire, L’Horme, Lorette, Pavezin.", 7, id="after-label"),
        pytest.param("Il s'agit, en effet, de coordonner, de prévenir, de soigner, et d'accompagner les patients.", 0, id="prose"),
        pytest.param("Vichy, Cusset, Bellerive-sur-Allier, Abrest", 0, id="too-short"),
    ],
)
def test_commune_lists_are_recognised(line, names):
    found = _commune_list(line)
    assert (len(found[1]) if found else 0) == names


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Lyon", "de Lyon"), ("Annecy", "d'Annecy"), ("Le Puy-en-Velay", "du Puy-en-Velay"),
     ("Les Adrets", "des Adrets"), ("La Talaudière", "de la Talaudière"), ("Hauteville", "d'Hauteville")],
)  # fmt: skip
def test_of(name, expected):
    assert _of(name) == expected


def test_cut_seed_keeps_labels_with_values_and_capital_headings_apart():
    text = "\n\n".join(
        [
            "Communiqué de presse",
            "Signature du contrat de la CPTS du Val d'Ouche",
            "Le territoire compte des communes rurales et des bourgs-centres, avec une population vieillissante et peu de médecins.",
            "Population couverte :",
            "12 400",
            "DES PARCOURS POUR LES PATIENTS",
            "La CPTS du Val d'Ouche organisera le retour à domicile après une hospitalisation, avec les infirmiers du secteur.",
        ]
    )
    seed = cut_seed(text)
    assert seed.lead.endswith(f"la CPTS {_NAME}")
    assert len(seed.sections) == 2
    assert "Population couverte :\n\n12 400" in seed.sections[0]
    assert seed.sections[1].startswith("DES PARCOURS")


def test_quoted_names_become_the_core_placeholder():
    seed = cut_seed("Création de la CPTS « Haut Bugey »\n\nLa CPTS « Haut Bugey » réunit 80 professionnels.")
    assert _CORE in seed.lead and "Haut Bugey" not in seed.lead + "".join(seed.sections)


def test_seeds_hide_their_own_cpts_name(seeds):
    assert len(seeds) == len(list(RAW_DIR.glob("*.txt")))
    for seed in seeds:
        assert _NAME in seed.lead or _CORE in seed.lead


def test_documents_are_reproducible_and_do_not_depend_on_corpus_size(seeds, generator, tmp_path):
    small = generator.write(tmp_path / "small", 3)
    large = generator.write(tmp_path / "large", 6)
    assert [p.read_bytes() for p in small] == [p.read_bytes() for p in large[:3]]
    assert CorpusGenerator(seeds).document(4) == generator.document(4)
    assert CorpusGenerator(seeds, seed=7).document(4) != generator.document(4)


def test_documents_are_new_texts_about_a_new_cpts(generator):
    shipped = [p.read_text("utf-8") for p in sorted(RAW_DIR.glob("*.txt"))]
    shipped_keys = set().union(*(_main_keys(t) for t in shipped))
    docs = [generator.document(i) for i in range(40)]
    assert len(set(docs)) == len(docs)
    assert not set(docs) & set(shipped)
    for doc in docs:
        assert _NAME not in doc and _CORE not in doc
        keys = _main_keys(doc)
        assert keys and not keys & shipped_keys, keys


def test_sizes_stay_those_of_real_communiques(generator):
    sizes = [len(generator.document(i)) for i in range(60)]
    assert 2_000 < min(sizes) and max(sizes) < 20_000


def test_commune_lists_are_redrawn(generator):
    shipped = (RAW_DIR / "000_922f433c6195bcc5.txt").read_text("utf-8")
    assert "Bessenay, Bibost" in shipped
    docs = "".join(generator.document(i) for i in range(0, 50, 5))
    assert "Bessenay, Bibost" not in docs
    assert re.search(r"(?:[A-ZÉ][\w'’ -]+, ){6,}", docs)


@pytest.mark.parametrize(
    ("docs", "sizes"),
    [(2000, [500, 1000, 2000]), (8, [2, 4, 8]), (3, [1, 3]), (1, [1])],
)
def test_scaling_sizes_are_a_quarter_half_and_all(docs, sizes):
    assert scaling_sizes(docs) == sizes


def test_edit_appends_to_the_share_of_files_asked(tmp_path):
    paths = [tmp_path / f"{i}.txt" for i in range(250)]
    for path in paths:
        path.write_text("Texte.\n", "utf-8")
    assert _edit(paths, 0.01, seed=1) == 3
    assert sum(path.read_text("utf-8") != "Texte.\n" for path in paths) == 3
    assert _edit(paths[:10], 0.01, seed=1) == 1


def test_render_states_every_figure():
    run = {"seconds": 10.0, "docs_per_s": 40.0, "peak_rss_mb": 900, "peak_rss_main_mb": 300}
    result = {
        "docs": 400, "seconds": 10.0, "docs_per_s": 40.0, "workers": 2,
        "ratio_to_model_pipe_equal_cores": 8.0, "ratio_to_model_pipe_per_core": 8.0,
        "floors": {name: {"docs_per_s": rate, "spread": [rate - 1, rate + 1], "repeats": 3, "docs": 400, "n_process": 2,
                          "batch_size": 16} for name, rate in (("blank_tokenize", 300.0), ("model_pipe", 5.0))},
        "new_5_docs_s": 2.5, "new_5_docs_parsed": 5,
        "stage_seconds": {"ingest": 0.5, "parse": 8.0, "normalise": 1.0, "write": 0.2},
        "blank_tokenize_docs_per_s": 300.0, "model_pipe_docs_per_s": 5.0, "peak_rss_mb": 900, "peak_rss_main_mb": 300,
        "peak_rss_worker_mb": 300, "noop_rerun_s": 0.4, "noop_rerun_parsed": 0, "noop_imported_spacy": False,
        "changed_1pct_files": 4, "changed_1pct_rerun_s": 6.0, "changed_1pct_parsed": 4,
        "scaling": {"100": run, "200": run, "400": run}, "main_rss_growth_pct": 3.2,
        "machine": {"platform": "Linux", "usable_cpus": 2, "python": "3.11.7"},
    }  # fmt: skip
    text = render(result)
    assert "400 documents in 10.0 s: 40.0 docs/s with 2 worker(s)" in text
    assert "re-run, nothing changed: 0.40 s, 0 parsed" in text
    assert "200: 10.0 s (900 MB, main 300 MB)" in text
    assert "8.00x fr_core_news_sm nlp.pipe at equal cores" in text
    assert "n_process=2, batch 16, median of 3" in text
    assert "5 new files: 2.5 s" in text
    assert "main process peak grows 3.2 % from the smallest corpus" in text


@pytest.mark.parametrize(("peaks", "growth"), [([600, 630, 660], 10.0), ([700, 700, 707], 1.0), ([500], 0.0)])
def test_main_memory_growth_is_from_the_smallest_to_the_largest_corpus(peaks, growth):
    from pipeline.bench import _growth

    assert _growth(peaks) == growth


@pytest.fixture(scope="module")
def small_bench(tmp_path_factory):
    """The whole benchmark end to end, kept small: one cold run of 4 documents, the two re-runs and the floors."""
    return run_bench(4, sizes=[4], workdir=tmp_path_factory.mktemp("bench"))


def test_bench_end_to_end(small_bench):
    for key in ("docs", "docs_per_s", "model_pipe_docs_per_s", "blank_tokenize_docs_per_s", "noop_rerun_s",
                "changed_1pct_rerun_s", "peak_rss_mb", "stage_seconds", "scaling", "machine"):  # fmt: skip
        assert key in small_bench, key
    assert set(small_bench["scaling"]) == {"4"}
    assert set(small_bench["stage_seconds"]) == {"ingest", "parse", "normalise", "write"}
    assert small_bench["docs_per_s"] > 0 and small_bench["peak_rss_mb"] > 0
    assert {"platform", "cpu_count", "python"} <= set(small_bench["machine"])
    assert "documents in" in render(small_bench)
    assert small_bench["noop_rerun_parsed"] == 0
    assert not small_bench["noop_imported_spacy"] and not small_bench["noop_loaded_reference"]
    assert small_bench["changed_1pct_files"] == 1
    assert small_bench["changed_1pct_parsed"] == 1
    assert small_bench["new_5_docs_parsed"] == 5
    assert small_bench["floors"]["model_pipe"]["repeats"] == 3
    assert small_bench["floors"]["model_pipe"]["n_process"] == small_bench["workers"]
