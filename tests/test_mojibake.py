"""``pipeline.formats.mojibake`` answers exactly as ftfy does, on clean, damaged and random text."""

import random

import ftfy
import pytest

from pipeline.formats import mojibake

CLEAN = "La CPTS du Pays d’Urfé signe son ACI : 116 250 € « pour 3 ans », à Saint-Étienne (42)."
DAMAGED = [CLEAN.encode("utf-8").decode(codec, "replace") for codec in ("cp1252", "latin-1", "mac_roman", "cp1251")]


@pytest.mark.parametrize("text", ["", "plain ASCII", CLEAN, *DAMAGED, "Ã ", "Ã©t", "Â»", "l\u2019Ã©quipe"])
def test_same_answers_as_ftfy(text):
    assert mojibake.is_bad(text) == ftfy.badness.is_bad(text)
    assert mojibake.fix_encoding(text) == ftfy.fix_encoding(text)


def test_damaged_text_is_repaired():
    assert mojibake.fix_encoding(DAMAGED[0]) == CLEAN


def test_random_strings_of_mojibake_characters():
    alphabet = CLEAN + "ÃÂ€œŠ¢£Ÿž\xa0\xad®©°·»¡¿–—´¤¦¨¬¯¸ØÙ√±∂†≠™≤≥¥µø≈‚Äìîïòôâóàäêвўβ€ΆΒΓΞΟā\x80\x9f\n"
    rng = random.Random(7)
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 10)))
        assert mojibake.is_bad(text) == ftfy.badness.is_bad(text), repr(text)


def test_triggers_are_read_from_ftfy():
    assert mojibake._triggers() is not None  # else every call falls back to ftfy's full search
