"""Words broken across lines with a hyphen, in PDFs and hard-wrapped text.

"pro-" at a line end and "fessionnels" on the next line are one word,
"professionnels"; "Saint-" and "Étienne" keep their hyphen. The document's
own words decide first (which form occurs elsewhere in it, unbroken), then
the rules of ``keeps_hyphen``: a capital after the break, a short second
part, or a known compound head or tail (``patterns/hyphen_compounds.jsonl``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from pipeline.patterns import load

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def is_broken(head: str, tail: str) -> bool:
    """The line ``head`` ends with a letter and a hyphen, and the next line ``tail`` starts with a letter."""
    return len(head) > 2 and head.endswith("-") and head[-2].isalpha() and tail[:1].isalpha()


def vocabulary(lines: Iterable[str]) -> Counter:
    """Words of the document as written inside lines (not at a line-end hyphen), lower-cased."""
    lines = list(lines)
    words = Counter(_WORD.findall("\n".join(lines).lower()))  # a word never spans a line end: every line's words
    after_hyphen = False
    for text in lines:
        ends_hyphen = text.endswith("-")
        if after_hyphen or ends_hyphen:  # only this line's words inside it count
            found = _WORD.findall(text.lower())
            words.subtract(found)
            words.update(found[int(after_hyphen) : len(found) - int(ends_hyphen)])
            for word in set(found):
                if words[word] <= 0:
                    del words[word]
        after_hyphen = ends_hyphen
    return words


@lru_cache(maxsize=1)
def _compounds() -> dict[str, frozenset[str]]:
    return {row["kind"]: frozenset(row["words"]) for row in load("hyphen_compounds")}


def keeps_hyphen(head: str, tail: str, words: Counter) -> bool:
    """Whether "head-" at a line end and "tail" on the next line make a hyphenated word."""
    written = _WORD.findall(head)[-1]
    rest = tail.split(" ", 1)[0]
    match = _WORD.match(rest)
    second_written = match.group() if match else rest
    first, second = written.lower(), second_written.lower()
    joined, hyphenated = first + second, f"{first}-{second}"
    if words[hyphenated] or words[joined]:
        return words[hyphenated] > words[joined]
    capital = second_written[0].isupper() and not (written.isupper() and second_written.isupper())
    if capital or "-" in second:
        return True
    part = second.split("-")[0]
    compounds = _compounds()
    return len(part) <= 2 or first.split("-")[-1] in compounds["head"] or part in compounds["tail"]


def join(head: str, tail: str, words: Counter) -> str:
    """The two lines as one, with or without the hyphen."""
    return head + tail if keeps_hyphen(head, tail, words) else head[:-1] + tail
