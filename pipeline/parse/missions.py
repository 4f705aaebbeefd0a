"""ACI missions and care themes that a communiqué assigns to its CPTS.

The ACI contract gives a CPTS up to six missions (``MissionCode``); the
communiqués name them in headings, in lists under "Missions socles :", or in
sentences such as "la CPTS s'engage à développer la prévention". Many of the
same words also appear in text about CPTS in general ("les CPTS ont vocation
à améliorer l'accès aux soins"), which assigns nothing. So a mission is read
only where the text speaks of this CPTS:

- a list introduced by a heading line ending with ":" that names missions,
  objectives or axes ("Missions optionnelles :"), or by such a short heading
  without a colon right above bullets ("Les priorités du projet de santé");
  the heading gives the status; a long bullet is read in its first clause;
- a box line whose short label names them, its items on the same line
  ("Priorités : accès à un médecin traitant, santé mentale", "Priorité |
  ..." in a flattened table, "Deuxième chantier : les soins non programmés.");
- a heading or bullet that starts with an action ("Développer des actions
  territoriales de prévention", "• Faciliter l'accès à un médecin traitant : ..."),
  or a bare mission heading ("ACCÈS AUX SOINS") over a paragraph that starts
  on this CPTS ("La CPTS ...", "Elle ...");
- a sentence that names this CPTS (not "les CPTS", "une CPTS"; "ses
  premières actions" and "son projet de santé" name it too) with a
  commitment cue ("souhaite", "s'engage", "s'est engagée", "a retenu",
  "objectifs", "missions"...);
- a sentence that calls a mission socle or optionnelle. Such a sentence may be
  about CPTS in general ("Une des missions socles des CPTS consiste à ...")
  and still holds for this one when the mission is socle: every contract has
  the socle missions. A sentence that is not about CPTS in general gives every
  mission it names, with the status it gives each ("L'avenant y ajoute la
  mission crise sanitaire et une mission optionnelle d'accompagnement": the
  first has none).

Themes (santé mentale, insuffisance cardiaque, ...) are read in the same
places and in the paragraphs under a mission heading; their codes and the
mission each belongs to are the closed list of ``patterns/themes.jsonl``.
A theme named as an activity of one mission only (vaccination, dépistage
des cancers, sortie d'hospitalisation, téléconsultation: its ``implies``
forms) also names that mission where missions are read: "Priorités :
vaccination des enfants" is prevention. A population or a condition
(personnes âgées, santé mentale) implies none: it belongs to several missions.
Every regex runs on ``fold_same_length(doc.text)`` so offsets hold in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.patterns import load
from pipeline.records import Mission, MissionCode, MissionStatus, Theme
from pipeline.parse.segment import folded_text, sentence_bounds

Doc.set_extension("missions", default=None, force=True)
Doc.set_extension("themes", default=None, force=True)

_BULLET = re.compile(
    r"(?:[•\-–—*·▪►➢✓◦]\s*"
    r"|\d{1,2}\s*[.)°-]\s+"
    r"|(?:mission|axe|objectif|priorite|action)s?\s*(?:n°\s*)?\d{1,2}\s*[:.)\-–]\s*)"
)
_NUMBERED_LABEL = re.compile(r"(?:mission|axe|objectif|priorite|action|chantier)s?\s*(?:n°\s*)?\d{1,2}\s*:")
"""A numbered label opening a sentence: "Axe 2 :", "Priorité n° 3 :"."""
_SENTENCE_END = re.compile(r"\.(?:\s|$)")
_CLAUSE_END = re.compile(r"[,;:]|\.(?:\s|$)")
_LABEL_SEPARATOR = re.compile(r"[:|]")
"""A box line's label ends at ':' or, in a table flattened to lines, at '|'."""
_OWN_MISSION = re.compile(r"\s*(?:de |d'|du |des |relative (?:a|aux) |:\s*)?(?:la |le |l'|les )?")
"""Between a status word and the mission it introduces: "mission optionnelle d'accompagnement"."""
_ARTICLE = re.compile(r"(?:l'|la |le |les |des |du |une |un |d')")
_WORD = re.compile(r"\w+")
_MAX_HEADING_WORDS = 30
"""A line without a final full stop and at most this long can be a heading."""
_MAX_COLON_HEAD_WORDS = 20
"""In "• Faciliter l'accès aux soins : la CPTS ...", the part before ':' is the heading."""
_MAX_ITEM_WORDS = 20
"""A longer line ends a list: it is prose, not an item."""
_MAX_SECTION_END_WORDS = 15
_MAX_LABEL_WORDS = 4
"""In "Priorités : accès à un médecin traitant, santé mentale", the label before ':' is this short."""
_MAX_TOPIC_WORDS = 5
"""A bare mission heading ("Accès aux soins", "PRÉVENTION") is this short."""


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    missions: tuple[tuple[MissionCode, bool, re.Pattern[str]], ...]
    """(code, heading_only, regex); the patterns of themes that imply their mission come last."""
    statuses: tuple[tuple[MissionStatus, re.Pattern[str]], ...]
    lead: re.Pattern[str]
    list_cue: re.Pattern[str]
    inline_label: re.Pattern[str]
    topic_follow: re.Pattern[str]
    commit: re.Pattern[str]
    singular: tuple[re.Pattern[str], ...]
    plural: re.Pattern[str]
    pronoun: re.Pattern[str]
    themes: tuple[tuple[str, MissionCode | None, re.Pattern[str]], ...]
    any_theme: re.Pattern[str]
    """All theme patterns in one alternation: a span it does not match holds no theme, and most spans hold none."""


@dataclass(frozen=True, slots=True)
class _Found:
    """A mission and the heading, list item or phrase (``label_start:label_end``) it was read from."""

    code: MissionCode
    status: MissionStatus | None
    label_start: int
    label_end: int


@lru_cache(maxsize=1)
def _vocabulary() -> _Vocabulary:
    """Compile ``patterns/missions.jsonl`` and ``patterns/themes.jsonl`` once."""
    rows = load("missions")

    def one(kind: str) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{r['pattern']})" for r in rows if r["kind"] == kind))

    implied = tuple(
        (r["mission"], False, re.compile(pattern)) for r in load("themes") for pattern in r.get("implies", ())
    )
    themes = [(r["theme"], r.get("mission"), p) for r in load("themes") for p in r["patterns"]]
    return _Vocabulary(
        missions=tuple(
            (r["code"], r["scope"] == "heading", re.compile(r["pattern"])) for r in rows if r["kind"] == "mission"
        )
        + implied,
        statuses=tuple((r["code"], re.compile(r["pattern"])) for r in rows if r["kind"] == "status"),
        lead=one("lead"),
        list_cue=one("list_cue"),
        inline_label=one("inline_label"),
        topic_follow=one("topic_follow"),
        commit=one("commit"),
        singular=tuple(re.compile(r["pattern"]) for r in rows if r["kind"] == "singular_ref"),
        plural=one("plural_ref"),
        pronoun=one("pronoun_ref"),
        themes=tuple((theme, mission, re.compile(p)) for theme, mission, p in themes),
        any_theme=re.compile("|".join(f"(?:{p})" for _, _, p in themes)),
    )


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line of ``text``, blank lines included."""
    spans, start = [], 0
    for line in text.split("\n"):
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


def _word_end(folded: str, end: int) -> int:
    """Extend a match to the end of its word: stem patterns ("soins non programm") report whole words."""
    while end < len(folded) and folded[end].isalnum():
        end += 1
    return end


def _n_words(text: str) -> int:
    return len(_WORD.findall(text))


def _strip(folded: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span past surrounding spaces and trailing ',;:' of list items."""
    while start < end and folded[start].isspace():
        start += 1
    while end > start and (folded[end - 1].isspace() or folded[end - 1] in ",;:"):
        end -= 1
    return start, end


def _unbullet(folded: str, start: int, end: int) -> tuple[int, bool]:
    """Start of the line's text after a bullet or "Axe 2 :" prefix, and whether there was one."""
    match = _BULLET.match(folded, start, end)
    return (match.end(), True) if match else (start, False)


def _heading(folded: str, start: int, end: int) -> tuple[int, int, bool] | None:
    """The heading part of a line (start, end, bulleted), or None for prose."""
    start, end = _strip(folded, start, end)
    start, bulleted = _unbullet(folded, start, end)
    colon = folded.find(":", start, end)
    if colon > start and _n_words(folded[start:colon]) <= _MAX_COLON_HEAD_WORDS:
        return (*_strip(folded, start, colon), bulleted)
    if start == end or folded[end - 1] in ".!?" or _n_words(folded[start:end]) > _MAX_HEADING_WORDS:
        return None
    return start, end, bulleted


def _list_item(folded: str, start: int, end: int) -> tuple[int, int] | None:
    """The item of a list line: its heading part, the whole short line ("• Prévention."), or the first
    clause of a long bulleted line ("• Faciliter l'accès à un médecin traitant pour ..., notamment ...");
    None for prose."""
    head = _heading(folded, start, end)
    if head is not None:
        return head[0], head[1]
    start, bulleted = _unbullet(folded, start, end)
    end = end - 1 if folded[end - 1] == "." else end
    if _n_words(folded[start:end]) <= _MAX_ITEM_WORDS:
        return start, end
    if not bulleted:
        return None
    clause = _CLAUSE_END.search(folded, start, end)
    return _strip(folded, start, clause.start() if clause else end)


def _ends_section(folded: str, start: int, end: int) -> bool:
    """A short unbulleted line without final punctuation: the next heading."""
    start, end = _strip(folded, start, end)
    if start == end or folded[end - 1] in ".!?:;,":
        return False
    return not _unbullet(folded, start, end)[1] and _n_words(folded[start:end]) <= _MAX_SECTION_END_WORDS


def _missions_in(folded: str, start: int, end: int, *, headings: bool) -> list[tuple[MissionCode, int, int]]:
    """First match of each mission in the span, in text order; ``headings`` admits heading-only patterns."""
    first: dict[MissionCode, tuple[int, int]] = {}
    for code, heading_only, regex in _vocabulary().missions:
        if heading_only and not headings:
            continue
        match = regex.search(folded, start, end)
        if match and (code not in first or match.start() < first[code][0]):
            first[code] = match.start(), _word_end(folded, match.end())
    return sorted(((code, s, e) for code, (s, e) in first.items()), key=lambda t: t[1])


def _status(
    folded: str, start: int, end: int, pos: int | None = None, missions: tuple[int, ...] = ()
) -> MissionStatus | None:
    """The status named in the span for the mission at ``pos`` (``missions``: the starts of all of its missions).

    Without ``pos``, the only status named. With it, the nearest status before
    ``pos`` ("Missions socles : accès aux soins, prévention"), else the first
    after it ("la prévention, mission socle") unless that one introduces a
    mission of its own ("ajoute la mission crise sanitaire et une mission
    optionnelle d'accompagnement": the crisis mission has no status).
    """
    cues = sorted(
        (match.start(), match.end(), status)
        for status, regex in _vocabulary().statuses
        for match in regex.finditer(folded, start, end)
    )
    if pos is None:
        kinds = {status for _, _, status in cues}
        return kinds.pop() if len(kinds) == 1 else None
    before = [status for cue_start, _, status in cues if cue_start < pos]
    if before:
        return before[-1]
    after = [(cue_end, status) for cue_start, cue_end, status in cues if cue_start > pos]
    if not after:
        return None
    cue_end, status = after[0]
    own = next((s for s in missions if s >= cue_end), None)
    return None if own is not None and _OWN_MISSION.fullmatch(folded, cue_end, own) else status


def _names_this_cpts(span: str) -> bool:
    """The span names one CPTS ("la CPTS", "CPTS des Monts", "la communauté")."""
    return any(regex.search(span) for regex in _vocabulary().singular)


def _is_generic(span: str) -> bool:
    """The span speaks of CPTS in general ("les CPTS", "une CPTS") and not of this one."""
    return bool(_vocabulary().plural.search(span)) and not _names_this_cpts(span)


def _is_action_heading(folded: str, start: int, end: int, bulleted: bool) -> bool:
    """Starts with an action ("Développer ...") or, for a bullet, with one after an article
    ("• L'amélioration de ...") or with a mission name ("• Prévention des chutes")."""
    if _vocabulary().lead.match(folded, start, end):
        return True
    if not bulleted:
        return False
    article = _ARTICLE.match(folded, start, end)
    head = article.end() if article else start
    if _vocabulary().lead.match(folded, head, end):
        return True
    return any(s == head for _, s, _ in _missions_in(folded, start, end, headings=True))


class _Reader:
    """One pass over a document: lists, headings, sentences; collects missions and themes."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.folded = folded_text(doc)
        self.lines = _lines(doc.text)
        self.found: list[_Found] = []
        self.theme_spans: list[tuple[int, int]] = []
        self.silenced: list[tuple[int, int]] = []

    def read(self) -> None:
        consumed = self._lists() | self._inline_lists()
        self._headings(consumed)
        self._sentences()

    def _emit(self, start: int, end: int, status: MissionStatus | None, *, headings: bool) -> None:
        for code, _, _ in _missions_in(self.folded, start, end, headings=headings):
            self.found.append(_Found(code, status, start, end))

    def _lists(self) -> set[int]:
        """Items under a "Missions socles :" / "Les objectifs de la CPTS sont :" heading line, or under a
        short heading without a colon ("Les priorités du projet de santé") whose next line is a bullet."""
        folded, consumed = self.folded, set()
        for i, (start, end) in enumerate(self.lines):
            line = folded[start:end].rstrip()
            if _n_words(line) > _MAX_HEADING_WORDS or not (line.endswith(":") or self._heads_bullets(i)):
                continue
            if not _vocabulary().list_cue.search(line):
                continue
            generic = _is_generic(line)
            status = _status(folded, start, end)
            for j in range(i + 1, len(self.lines)):
                item_start, item_end = _strip(folded, *self.lines[j])
                if item_start == item_end:
                    continue
                if folded[slice(*self.lines[j])].rstrip().endswith(":"):
                    break
                item = _list_item(folded, item_start, item_end)
                if item is None or not _missions_in(folded, *item, headings=True):
                    break
                item_start, item_end = item
                consumed.add(j)
                if generic:
                    self.silenced.append((item_start, item_end))
                    continue
                self._emit(item_start, item_end, status, headings=True)
                self.theme_spans.append((item_start, item_end))
        return consumed

    def _heads_bullets(self, i: int) -> bool:
        """Line ``i`` is a short heading (see ``_ends_section``) and the next non-blank line a bullet."""
        folded = self.folded
        if not _ends_section(folded, *self.lines[i]):
            return False
        following = next((_strip(folded, *span) for span in self.lines[i + 1 :] if folded[slice(*span)].strip()), None)
        return following is not None and _unbullet(folded, *following)[1]

    def _inline_lists(self) -> set[int]:
        """A box line "Priorités : accès à un médecin traitant, santé mentale, prévention des chutes".

        A short label that names missions, objectives or priorities ("Priorité |"
        in a flattened table), then its items up to the end of the sentence,
        separated by commas or semicolons. The label opens a line, or a sentence
        of it when numbered: prose runs numbered labels on ("... autour de quatre
        axes. Axe 1 : faciliter l'accès aux soins. Axe 2 : ..."), while an
        unnumbered one in mid-paragraph may belong to whatever the previous
        sentence is about ("Le département a voté son budget. Ses priorités : ...").
        """
        folded, consumed = self.folded, set()
        for i, (start, end) in enumerate(self.lines):
            sentences = (m.end() for m in _SENTENCE_END.finditer(folded, start, end))
            numbered = [s for s in sentences if _NUMBERED_LABEL.match(folded, s)]
            named = [self._inline_list(s, end) for s in [start, *numbered] if s < end]
            if any(named):
                consumed.add(i)
        return consumed

    def _inline_list(self, start: int, end: int) -> bool:
        """Read the labelled list that starts at ``start`` (see ``_inline_lists``); True when it names a mission."""
        folded = self.folded
        separator = _LABEL_SEPARATOR.search(folded, start, end)
        if separator is None:
            return False
        colon = separator.start()
        label_start, label_end = _strip(folded, _unbullet(folded, start, colon)[0], colon)
        if _SENTENCE_END.search(folded, label_start, label_end):
            return False
        sentence_end = _SENTENCE_END.search(folded, colon, end)
        end = sentence_end.start() if sentence_end else end
        if not folded[colon + 1 : end].strip() or _n_words(folded[start:colon]) > _MAX_LABEL_WORDS:
            return False
        labelled = _vocabulary().inline_label.fullmatch(folded, label_start, label_end)
        if not labelled or _is_generic(folded[start:end]):
            return False
        status = _status(folded, start, colon)
        items = [(m.start(), m.end()) for m in re.finditer(r"[^,;]+", folded[colon + 1 : end])]
        spans = [_strip(folded, colon + 1 + a, colon + 1 + b) for a, b in items]
        if any(_n_words(folded[a:b]) > _MAX_ITEM_WORDS for a, b in spans):
            return False
        named = False
        for item_start, item_end in spans:
            if _missions_in(folded, item_start, item_end, headings=True):
                named = True
                self._emit(item_start, item_end, status, headings=True)
            self.theme_spans.append((item_start, item_end))
        return named

    def _headings(self, consumed: set[int]) -> None:
        """Action headings and bullets; the paragraphs under them are read for themes."""
        folded = self.folded
        section_start: int | None = None
        for i, (start, end) in enumerate(self.lines):
            if section_start is not None and _ends_section(folded, start, end):
                self.theme_spans.append((section_start, start))
                section_start = None
            if i in consumed:
                continue
            head = _heading(folded, start, end)
            if head is None or not (_is_action_heading(folded, *head) or self._is_topic_heading(i, *head)):
                continue
            head_start, head_end, _ = head
            if _is_generic(folded[start:end]) or not _missions_in(folded, head_start, head_end, headings=True):
                continue
            self._emit(head_start, head_end, _status(folded, start, end), headings=True)
            if section_start is None:
                section_start = start
        if section_start is not None:
            self.theme_spans.append((section_start, len(folded)))

    def _is_topic_heading(self, i: int, start: int, end: int, bulleted: bool) -> bool:
        """A short heading that opens on a mission name ("Accès aux soins") over a paragraph that starts
        on this CPTS ("La CPTS organise ...", "Elle ..."); the tag line of a release over its title is not one."""
        folded = self.folded
        if bulleted or _n_words(folded[start:end]) > _MAX_TOPIC_WORDS:
            return False
        article = _ARTICLE.match(folded, start, end)
        head = article.end() if article else start
        if not any(s == head for _, s, _ in _missions_in(folded, start, end, headings=True)):
            return False
        following = next((_strip(folded, *span) for span in self.lines[i + 1 :] if folded[slice(*span)].strip()), None)
        return following is not None and bool(_vocabulary().topic_follow.match(folded, *following))

    def _sentences(self) -> None:
        """Sentences that commit this CPTS, or name a mission socle / optionnelle."""
        folded, vocabulary = self.folded, _vocabulary()
        previous_names_it = False
        for start, end in sentence_bounds(self.doc):
            if any(s <= start < e or start <= s < end for s, e in self.silenced):
                continue
            span = folded[start:end]
            if span.isspace():
                continue
            names_it = _names_this_cpts(span) or (
                previous_names_it and bool(vocabulary.pronoun.search(span)) and not _is_generic(span)
            )
            previous_names_it = names_it
            if names_it:
                self.theme_spans.append((start, end))
            if any(regex.search(span) for _, regex in vocabulary.statuses):
                found = _missions_in(folded, start, end, headings=True)
                starts = tuple(s for _, s, _ in found)
                for code, s, e in found:
                    status = _status(folded, start, end, s, starts)
                    if names_it or status == "socle" or not _is_generic(span):
                        self.found.append(_Found(code, status, s, e))
            elif names_it and vocabulary.commit.search(span):
                for code, s, e in _missions_in(folded, start, end, headings=False):
                    self.found.append(_Found(code, None, s, e))


def _best(found: list[_Found]) -> list[_Found]:
    """One per mission: the first that carries a status, else the first; in text order."""
    best: dict[MissionCode, _Found] = {}
    for item in sorted(found, key=lambda f: f.label_start):
        kept = best.get(item.code)
        if kept is None or (kept.status is None and item.status is not None):
            best[item.code] = item
    return sorted(best.values(), key=lambda f: f.label_start)


def _read(doc: Doc) -> _Reader:
    reader = _Reader(doc)
    reader.read()
    return reader


def extract_missions(doc: Doc) -> list[Mission]:
    """The ACI missions the document assigns to its CPTS, one per mission."""
    return _missions_of(_read(doc))


def extract_themes(doc: Doc) -> list[Theme]:
    """The care themes of the CPTS's project, one per theme, read where missions are."""
    return _themes_of(_read(doc))


def _missions_of(reader: _Reader) -> list[Mission]:
    text = reader.doc.text
    return [
        Mission(
            text=text[f.label_start:f.label_end],
            char_start=f.label_start,
            char_end=f.label_end,
            mission=f.code,
            status=f.status,
        )
        for f in _best(reader.found)
    ]


def _themes_of(reader: _Reader) -> list[Theme]:
    text, folded = reader.doc.text, reader.folded
    first: dict[str, Theme] = {}
    for start, end in sorted(set(reader.theme_spans)):
        if not _vocabulary().any_theme.search(folded, start, end):
            continue
        for theme, mission, regex in _vocabulary().themes:
            match = next(
                (m for m in regex.finditer(folded, start, end) if not _is_generic(_sentence_around(folded, m.start()))),
                None,
            )
            if match is None:
                continue
            if theme not in first or match.start() < first[theme].char_start:
                word_end = _word_end(folded, match.end())
                first[theme] = Theme(
                    text=text[match.start():word_end],
                    char_start=match.start(),
                    char_end=word_end,
                    theme=theme,
                    mission=mission,
                )
    return sorted(first.values(), key=lambda t: t.char_start)


def _sentence_around(folded: str, pos: int) -> str:
    """The line-and-full-stop delimited sentence around ``pos`` (for the generic test)."""
    start = max(folded.rfind("\n", 0, pos), folded.rfind(". ", 0, pos)) + 1
    ends = [i for i in (folded.find("\n", pos), folded.find(". ", pos)) if i != -1]
    return folded[start:min(ends) if ends else len(folded)]


@Language.component("cpts_missions")
def missions_component(doc: Doc) -> Doc:
    """Set ``doc._.missions`` and ``doc._.themes`` from one reading of the document."""
    reader = _read(doc)
    doc._.missions = _missions_of(reader)
    doc._.themes = _themes_of(reader)
    return doc
