"""The benchmark corpus: new, varied communiqués recombined from the shipped ones.

``build_corpus`` writes communiqués recombined from ``raw/*.txt``: each keeps
the lead of one shipped text (title, date line, first mention of the CPTS) and
then its sections in a shuffled order, sometimes with a section of another
text added or one dropped. The CPTS is renamed after a commune of a randomly
drawn département, commune lists are redrawn from that département in the
commune reference, amounts and population figures are rescaled and every
dated phrase is moved by the same random shift (weekdays follow). A fixed seed
makes the corpus reproducible, and document ``i`` does not depend on the
corpus size.
"""

from __future__ import annotations

import random
import re
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


