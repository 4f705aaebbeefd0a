"""Command line: a thin layer over the library; the Makefile only calls this.

Exit codes:
  0  done, every input extracted (ok or not_cpts)
  1  unexpected failure (a bug: the traceback is logged)
  2  bad usage (argparse)
  3  done, but some inputs were rejected (see the documents table; the
     summary line counts bad inputs, timeouts and internal errors apart)
  4  a check failed (``schemas --check``: the data dictionary is out of date)
  5  extract gave up waiting (--wait) for another run writing to the same output folder
  6  extract: the raw folder does not exist, is a file, or holds no readable input
     file; nothing was written

Examples:
  python -m pipeline extract                          raw/ into extracted/
  python -m pipeline extract ~/communiques --out ~/tables -v
  python -m pipeline extract raw --wait 30 --timeout 20
  python -m pipeline eval --out ~/tables --gold tests/gold --verbose
  python -m pipeline report --out ~/tables
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from pipeline import catalog
from pipeline.guard import DOC_TIMEOUT_SECONDS
from pipeline.lock import DEFAULT_WAIT_SECONDS

EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_REJECTED, EXIT_CHECK, EXIT_LOCKED, EXIT_NO_INPUT = 0, 1, 2, 3, 4, 5, 6

log = logging.getLogger("pipeline")

_EXTRACT_EXAMPLES = """examples:
  python -m pipeline extract                           raw/ into extracted/, only new or changed files parsed
  python -m pipeline extract ~/communiques --out ~/tables -v
  python -m pipeline extract raw --out /tmp/t --wait 0  fail at once (exit 5) if another run holds /tmp/t
  python -m pipeline extract raw --timeout 10           reject a document that takes over 10 s to read or parse

exit codes: 0 all extracted, 3 some inputs rejected (documents.error says why),
5 gave up waiting for another run, 6 no raw folder or no readable file in it (tables untouched)"""


def _extract(args: argparse.Namespace) -> int:
    from pipeline.inputs import RawFolderError
    from pipeline.lock import LockTimeout
    from pipeline.run import run_extract

    try:
        summary = run_extract(
            args.raw_dir,
            args.out,
            progress=not args.quiet and sys.stderr.isatty(),
            wait=args.wait,
            timeout=args.timeout or None,
        )
    except RawFolderError as exc:
        log.error("%s", exc)
        return EXIT_NO_INPUT
    except LockTimeout as exc:
        log.error("%s", exc)
        return EXIT_LOCKED
    print(summary.line())
    if args.partition_by:
        from pipeline.partition import partition_output

        print(partition_output(args.out, args.partition_by))
    return EXIT_REJECTED if summary.status["rejected"] else EXIT_OK


def _bench(args: argparse.Namespace) -> int:
    from pipeline.bench import render, run_bench, write_result

    result = run_bench(args.docs, workdir=args.workdir, seed=args.seed)
    write_result(result, args.json)
    print(render(result))
    print(args.json)
    return EXIT_OK


def _partition_keys(value: str) -> list[str]:
    from pipeline.partition import PartitionError, hive_partitioning

    keys = [key.strip() for key in value.split(",") if key.strip()]
    try:
        hive_partitioning(keys)
    except PartitionError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return keys


def _eval(args: argparse.Namespace) -> int:
    import json

    import pandas as pd

    from pipeline.evaluate import score
    from schemas import TABLES

    out = catalog.OutputCatalog(args.out)
    missing = [name for name in TABLES if not out.table(name).exists()]
    if missing:
        log.error("no extracted tables in %s (missing %s): run `make extract` first", args.out, ", ".join(missing))
        return EXIT_FAILURE
    tables = {name: pd.read_parquet(out.table(name)) for name in TABLES}
    golds = [json.loads(p.read_text("utf-8")) for p in sorted(args.gold.glob("*.json"))]
    print(score(tables, golds).render(verbose=args.verbose))
    return EXIT_OK


def _explain(args: argparse.Namespace) -> int:
    from pipeline.explain import UnreadSuffixError, explain

    if (args.text is None) == (args.file is None):
        log.error("give either a text or --file PATH")
        return EXIT_USAGE
    try:
        print(explain(args.text if args.file is None else args.file, with_reference=not args.no_reference).render())
    except UnreadSuffixError as exc:
        log.error("%s", exc)
        return EXIT_USAGE
    return EXIT_OK


def _reference(args: argparse.Namespace) -> int:
    from pipeline.reference import build_reference

    for path in build_reference(args.out, workdir=args.workdir):
        print(path)
    return EXIT_OK


def _report(args: argparse.Namespace) -> int:
    from pipeline.report import MissingTablesError, write_report

    try:
        print(write_report(args.out))
    except MissingTablesError as exc:
        log.error("%s", exc)
        return EXIT_FAILURE
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    from pipeline.export import ExportError, export_tables

    try:
        for path in export_tables(args.out, args.format, args.to):
            print(path)
    except ExportError as exc:
        log.error("%s", exc)
        return EXIT_FAILURE
    return EXIT_OK


def _coverage(args: argparse.Namespace) -> int:
    from pipeline.registry.summary import CoverageError, coverage_summary

    try:
        print(coverage_summary(args.out, args.departement, catalog.REFERENCE_DIR))
    except CoverageError as exc:
        log.error("%s", exc)
        return EXIT_FAILURE
    return EXIT_OK


def _schemas(args: argparse.Namespace) -> int:
    from schemas.dictionary import render_dictionary

    text = render_dictionary()
    if args.check:
        current = catalog.SCHEMAS_README.read_text("utf-8") if catalog.SCHEMAS_README.exists() else ""
        if current != text:
            log.error("%s is out of date: run `python -m pipeline schemas`", catalog.SCHEMAS_README)
            return EXIT_CHECK
        return EXIT_OK
    catalog.SCHEMAS_README.write_text(text, "utf-8")
    print(catalog.SCHEMAS_README)
    return EXIT_OK


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {value!r}") from None
    if seconds < 0:
        raise argparse.ArgumentTypeError("seconds cannot be negative")
    return seconds


def _global_options(defaults: bool) -> argparse.ArgumentParser:
    """-v and -q, accepted before and after the command (``extract -v``); only the main parser sets defaults, so a
    command given without them keeps what was given before it. (``eval`` has its own ``--verbose``: list every miss.)"""
    options = argparse.ArgumentParser(add_help=False)
    suppress = {} if defaults else {"default": argparse.SUPPRESS}
    options.add_argument("-v", "--verbose", action="count", help="more logging (-vv for debug)", **({"default": 0} if defaults else suppress))
    options.add_argument("-q", "--quiet", action="store_true", help="no progress bar", **suppress)
    return options


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__.split("\n")[0], epilog=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter, parents=[_global_options(True)])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    after = [_global_options(False)]

    p = sub.add_parser("extract", help="extract the communiqués of a folder into Parquet tables", parents=after,
                       formatter_class=argparse.RawDescriptionHelpFormatter, epilog=_EXTRACT_EXAMPLES)
    p.add_argument("raw_dir", nargs="?", type=Path, default=catalog.RAW_DIR,
                   help="folder of communiqués, read recursively (default: raw/); a single file is refused (exit 6)")
    p.add_argument("--out", type=Path, default=catalog.OUT_DIR, help="output folder (default: extracted/)")
    p.add_argument("--wait", type=_seconds, default=DEFAULT_WAIT_SECONDS, metavar="SECONDS",
                   help=f"wait at most this long for another run writing to the same --out, then exit 5 (default: {DEFAULT_WAIT_SECONDS:g})")
    p.add_argument("--timeout", type=_seconds, default=DOC_TIMEOUT_SECONDS, metavar="SECONDS",
                   help=f"reject a document whose reading or parsing takes longer (default: {DOC_TIMEOUT_SECONDS:g}; 0: no limit)")
    p.add_argument("--partition-by", type=_partition_keys, metavar="KEYS",
                   help="also write OUT/partitioned/<table>/, a hive-partitioned dataset by year and/or region (e.g. year,region)")
    p.set_defaults(func=_extract)

    p = sub.add_parser("bench", help="time the pipeline on a generated corpus and write bench.json", parents=after)
    p.add_argument("--docs", type=int, default=2000, help="corpus size; the scaling runs use a quarter and a half of it (default: 2000)")
    p.add_argument("--seed", type=int, default=20201005, help="seed of the corpus generator")
    p.add_argument("--json", type=Path, default=catalog.OUT_DIR / "bench.json", help="where to write the figures (default: extracted/bench.json)")
    p.add_argument("--workdir", type=Path, default=None, help="where the temporary corpus goes (default: the system temp folder)")
    p.set_defaults(func=_bench)

    p = sub.add_parser("eval", help="score extracted tables against the gold annotations")
    p.add_argument("--out", type=Path, default=catalog.OUT_DIR, help="folder of extracted tables (default: extracted/)")
    p.add_argument("--gold", type=Path, default=catalog.GOLD_DIR, help="folder of gold JSON (default: tests/gold/)")
    p.add_argument("--verbose", action="store_true", help="list every miss and extra")
    p.set_defaults(func=_eval)

    p = sub.add_parser("explain", help="show which rule made each fact of a text, and what looked like a fact but gave none",
                       epilog='example: python -m pipeline explain "La CPTS du Val de Lys (62) rassemble 85 adhérents."', parents=after)
    p.add_argument("text", nargs="?", help="the text to explain")
    p.add_argument("--file", type=Path, help="explain this file, read as extract reads it (txt, md, html, pdf)")
    p.add_argument("--no-reference", action="store_true", help="skip the commune reference (faster; no territory)")
    p.set_defaults(func=_explain)

    p = sub.add_parser("reference", help="build the commune reference Parquet from @etalab/decoupage-administratif (needs npm)",
                       parents=after)
    p.add_argument("--out", type=Path, default=catalog.REFERENCE_DIR, help="output folder (default: raw/reference/)")
    p.add_argument("--workdir", type=Path, default=catalog.ROOT / "build" / "npm", help="where npm packages are unpacked")
    p.set_defaults(func=_reference)

    p = sub.add_parser("report", help="write report.html, the review page, from the extracted tables", parents=after)
    p.add_argument("--out", type=Path, default=catalog.OUT_DIR, help="folder of extracted tables, and of the page (default: extracted/)")
    p.set_defaults(func=_report)

    p = sub.add_parser("export", help="write every table as CSV, JSON Lines or one Excel workbook", parents=after,
                       epilog="example: python -m pipeline export --format xlsx --out extracted --to ~/Bureau")
    p.add_argument("--format", choices=("csv", "xlsx", "jsonl"), required=True, help="csv: <table>.csv each; jsonl: <table>.jsonl each; xlsx: tables.xlsx, one sheet per table")
    p.add_argument("--out", type=Path, default=catalog.OUT_DIR, help="folder of extracted tables (default: extracted/)")
    p.add_argument("--to", type=Path, default=None, help="where to write the files (default: OUT/export/)")
    p.set_defaults(func=_export)

    p = sub.add_parser("coverage", help="communes and population covered by the CPTS of the extracted tables, per département",
                       epilog="example: python -m pipeline coverage --departement 42 --departement 69")
    p.add_argument("--departement", action="append", metavar="CODE", help="département code (repeatable; default: every département the CPTS touch)")
    p.add_argument("--out", type=Path, default=catalog.OUT_DIR, help="folder of extracted tables (default: extracted/)")
    p.set_defaults(func=_coverage)

    p = sub.add_parser("schemas", help="write schemas/README.md, the data dictionary, from the Arrow schemas", parents=after)
    p.add_argument("--check", action="store_true", help="only check that schemas/README.md is up to date")
    p.set_defaults(func=_schemas)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    level = logging.WARNING - 10 * min(args.verbose or 0, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    try:
        return args.func(args)
    except KeyboardInterrupt:
        log.error("interrupted")
        return EXIT_FAILURE
    except Exception:
        log.exception("failed")
        return EXIT_FAILURE
