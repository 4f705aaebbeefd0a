"""The extract command cannot wipe data by mistake, never waits forever, and takes options where users type them."""

from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path

import pytest

from pipeline.catalog import RAW_DIR
from pipeline.cli import EXIT_LOCKED, EXIT_NO_INPUT, EXIT_OK, build_parser, main
from schemas import TABLES

GOOD = RAW_DIR / "001_363b00f524731fbb.txt"


def snapshot(out: Path) -> dict[str, bytes]:
    return {name: (out / f"{name}.parquet").read_bytes() for name in TABLES}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """An output folder holding the tables of one communiqué."""
    raw = tmp_path_factory.mktemp("raw")
    shutil.copy(GOOD, raw / "a.txt")
    out = tmp_path_factory.mktemp("out")
    assert main(["extract", str(raw), "--out", str(out), "-q"]) == EXIT_OK
    return raw, out


def _empty(tmp_path: Path) -> Path:
    (tmp_path / "empty").mkdir()
    return tmp_path / "empty"


def _only_unreadable(tmp_path: Path) -> Path:
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "gone.txt").symlink_to("nowhere/gone.txt")
    return folder


def _other_files_only(tmp_path: Path) -> Path:
    folder = tmp_path / "other"
    folder.mkdir()
    (folder / "notes.docx").write_bytes(b"PK")
    (folder / ".hidden.txt").write_text("CPTS", "utf-8")
    return folder


@pytest.mark.parametrize(
    "raw_of,message",
    [
        (lambda tmp, raw: tmp / "raww", "does not exist"),
        (lambda tmp, raw: raw / "a.txt", "is a file, not a folder"),
        (lambda tmp, raw: _empty(tmp), "no input file (.htm .html .markdown .md .pdf .txt)"),
        (lambda tmp, raw: _other_files_only(tmp), "no input file"),
        (lambda tmp, raw: _only_unreadable(tmp), "none of the 1 input files"),
    ],
    ids=["typo in the folder name", "a single file", "empty folder", "no communiqué file", "no readable file"],
)
def test_a_wrong_raw_folder_is_an_error_and_the_tables_are_untouched(extracted, tmp_path, caplog, raw_of, message):
    raw, out = extracted
    before = snapshot(out)
    assert main(["extract", str(raw_of(tmp_path, raw)), "--out", str(out), "-q"]) == EXIT_NO_INPUT
    assert message in caplog.text
    assert "the tables are unchanged" in caplog.text or "a folder of its own" in caplog.text
    assert snapshot(out) == before


def test_a_wrong_raw_folder_creates_no_output_folder(tmp_path):
    assert main(["extract", str(tmp_path / "raww"), "--out", str(tmp_path / "out")]) == EXIT_NO_INPUT
    assert not (tmp_path / "out").exists()


def test_waiting_for_the_lock_is_bounded(extracted, caplog):
    raw, out = extracted
    before = snapshot(out)
    with open(out / ".lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        held.truncate(0)
        held.write("4242")
        held.flush()
        assert main(["extract", str(raw), "--out", str(out), "-q", "--wait", "0.5"]) == EXIT_LOCKED
    assert "another extraction (process 4242) is still writing to" in caplog.text
    assert "after 0.5 s" in caplog.text
    assert snapshot(out) == before
    assert main(["extract", str(raw), "--out", str(out), "-q", "--wait", "0.5"]) == EXIT_OK


@pytest.mark.parametrize(
    "argv",
    [
        ["-v", "extract", "-q"],
        ["extract", "-v", "-q"],
        ["-q", "extract", "-v"],
        ["extract", "raw", "--out", "x", "-q", "-v"],
    ],
)
def test_global_options_before_or_after_the_command(argv):
    args = build_parser().parse_args(argv)
    assert (args.verbose, args.quiet) == (1, True)


def test_without_options_defaults_stand():
    args = build_parser().parse_args(["extract"])
    assert (args.verbose, args.quiet, args.wait, args.timeout) == (0, False, 600.0, 60.0)


def test_help_has_examples_and_exit_codes(capsys):
    with pytest.raises(SystemExit):
        main(["extract", "--help"])
    text = capsys.readouterr().out
    assert "examples:" in text and "--wait 0" in text and "6 no raw folder" in text


def test_bad_wait_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["extract", "--wait", "soon"])
    assert exc.value.code == 2
    assert "not a number of seconds" in capsys.readouterr().err


def test_lock_file_names_its_holder(extracted):
    raw, out = extracted
    main(["extract", str(raw), "--out", str(out), "-q"])
    assert (out / ".lock").read_text().strip() == str(os.getpid())
