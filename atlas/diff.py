"""Word-level diffs of two texts as plain data: segments (equal, insert, delete), hunks with context, word counts."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from itertools import chain, islice

# A word: letters and digits with inner apostrophes or hyphens ("don't", "opt-in"), or a number ("2.7", "1,000").
_WORD_PATTERN = r"\d+(?:[.,]\d+)+|\w+(?:['\u2019\-]\w+)*"
# A token is a word or one punctuation mark, with the white space before it: joined, tokens give back the text.
_TOKEN = re.compile(rf"(\s*)({_WORD_PATTERN}|[^\w\s])")
_WORD = re.compile(_WORD_PATTERN)
# Above this many token comparisons a changed block is diffed with difflib's popularity heuristic (much faster,
# a little coarser): it only happens when most lines of a long document changed at once (e.g. re-wrapped text).
_EXACT_LIMIT = 4_000_000

EQUAL, INSERT, DELETE = "equal", "insert", "delete"


@dataclass(frozen=True)
class Segment:
    """A stretch of text that both versions share (equal), or that only the new (insert) or old (delete) has."""

    op: str
    text: str


@dataclass(frozen=True)
class Hunk:
    """Changed segments with their unchanged context; `skipped` unchanged words were collapsed before it."""

    skipped: int
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class TextDiff:
    """The comparison of two texts: hunks to show, collapsed words after the last hunk, and word counts."""

    hunks: tuple[Hunk, ...]
    skipped_after: int
    added: int
    removed: int

    @property
    def changed(self) -> bool:
        """True when any word was added or removed."""
        return bool(self.added or self.removed)


# Punctuation that may stand before or after a word; none of it is part of a word at the edge of a piece.
_EDGE = ".,;:!?()[]{}\"'\u2018\u2019\u201c\u201d"


def count_words(text: str) -> int:
    """How many words a text holds (punctuation and white space are not words)."""
    # No word spans white space, and a piece between white space that is all letters and digits once the
    # punctuation at its edges is stripped holds exactly one word. Most pieces are such, so only the rest
    # go through the regular expression: twice as fast on the long unchanged stretches of a document.
    pieces = text.split()
    others = [piece for piece in pieces if not piece.strip(_EDGE).isalnum()]
    return len(pieces) - len(others) + len(_WORD.findall(" ".join(others)))


def tokens(text: str) -> list[tuple[str, str]]:
    """The (leading white space, word or punctuation mark) tokens of a text; trailing white space is dropped."""
    return _TOKEN.findall(text)


def same_wording(old: str, new: str) -> bool:
    """True when two texts have the same words and punctuation marks in the same order (white space aside)."""
    return [word for _, word in tokens(old)] == [word for _, word in tokens(new)]


def _join(toks: list[tuple[str, str]], lead: bool) -> str:
    if not toks:
        return ""
    text = "".join(chain.from_iterable(toks))
    return text if lead else text[len(toks[0][0]):]


def _cleanup(opcodes: list[tuple[str, int, int, int, int]]) -> list[tuple[str, int, int, int, int]]:
    """Fold short matches between larger changes into the change (difflib aligns "the" and "of" of two
    unrelated sentences otherwise); the rule is diff-match-patch's semantic cleanup, on tokens."""
    out: list[list] = []
    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal" and out and out[-1][0] == "replace" and index + 1 < len(opcodes):
            _, pi1, pi2, pj1, pj2 = out[-1]
            _, ni1, ni2, nj1, nj2 = opcodes[index + 1]
            size = i2 - i1
            if size < max(pi2 - pi1, pj2 - pj1) and size < max(ni2 - ni1, nj2 - nj1):
                out[-1] = ["replace", pi1, i2, pj1, j2]
                continue
        if op != "equal":
            if out and out[-1][0] == "replace":
                out[-1] = ["replace", out[-1][1], i2, out[-1][3], j2]
                continue
            out.append(["replace", i1, i2, j1, j2])
        else:
            out.append([op, i1, i2, j1, j2])
    return [tuple(x) for x in out]


def _token_segments(old: list[tuple[str, str]], new: list[tuple[str, str]]) -> list[Segment]:
    """Word-level segments of two token lists; white space is not compared, the new text's spacing is kept."""
    a, b = [w for _, w in old], [w for _, w in new]
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=len(a) * len(b) > _EXACT_LIMIT)
    out: list[Segment] = []
    for op, i1, i2, j1, j2 in _cleanup(matcher.get_opcodes()):
        if op == "equal":
            if out and out[-1].op != EQUAL and old[i1][0] and not new[j1][0]:
                # white space (a line break) only the old text had after the change goes with the deletion
                out.append(Segment(DELETE, old[i1][0]))
            out.append(Segment(EQUAL, _join(new[j1:j2], True)))
        elif j1 == j2:
            out.append(Segment(DELETE, _join(old[i1:i2], True)))
        elif i1 == i2:
            out.append(Segment(INSERT, _join(new[j1:j2], True)))
        else:  # a space both versions have before the change stays outside <del> and <ins>
            shared = bool(old[i1][0]) and bool(new[j1][0])
            out.append(Segment(EQUAL, new[j1][0] if shared else ""))
            out.append(Segment(DELETE, _join(old[i1:i2], not shared)))
            out.append(Segment(INSERT, _join(new[j1:j2], not shared)))
    return out


# A leading clause number ("2.7", "(b)", "iv.") is left out when lines are matched, so that renumbered
# paragraphs still pair up and only their numbers show as changed.
_NUMBERING = re.compile(r"^(?:\(?(?:\d+(?:\.\d+)*|[a-z]|[ivxlc]{1,6})[.)]|\d+(?:\.\d+)*)\s+")


def _lines(text: str) -> list[str]:
    """The lines of a text, each with the blank lines after it (blank lines alone would match anywhere)."""
    lines: list[str] = []
    for line in text.splitlines(keepends=True):
        if lines and not line.strip():
            lines[-1] += line
        else:
            lines.append(line)
    return lines


def _line_key(line: str) -> str:
    # Spacing inside a line is not normalised here (that would cost more than it saves): lines that differ
    # only in spacing are compared word by word, which finds them equal.
    return _NUMBERING.sub("", line.strip(), count=1)


def _merge(segments: list[Segment]) -> tuple[Segment, ...]:
    """Adjacent segments of one kind joined, empty ones dropped, and a deletion always before its insertion."""
    runs: list[tuple[str, list[str]]] = []  # texts joined once at the end: long documents have many lines
    for s in segments:
        if not s.text:
            continue
        if runs and runs[-1][0] == s.op:
            runs[-1][1].append(s.text)
        elif s.op == DELETE and len(runs) >= 2 and runs[-1][0] == INSERT and runs[-2][0] == DELETE:
            runs[-2][1].append(s.text)
        else:
            runs.append((s.op, [s.text]))
    return tuple(Segment(op, "".join(texts)) for op, texts in runs)


def _block_segments(old_block: str, new_block: str) -> list[Segment]:
    """Word-level segments of a block of changed lines, keeping the block's own line breaks."""
    if not old_block.strip() or not new_block.strip():  # whole lines added or taken out
        if not old_block.strip() and not new_block.strip():
            return [Segment(EQUAL, new_block)]
        return [Segment(INSERT, new_block) if new_block.strip() else Segment(DELETE, old_block)]
    return _token_segments(tokens(old_block), tokens(new_block)) + [Segment(EQUAL, new_block[len(new_block.rstrip()):])]


def _renumbered(old_line: str, new_line: str) -> list[Segment] | None:
    """The segments of a line whose only change is its clause number, or None."""
    old_text, new_text = old_line.lstrip(), new_line.lstrip()
    old_number, new_number = _NUMBERING.match(old_text), _NUMBERING.match(new_text)
    if not (old_number and new_number) or old_text[old_number.end():].split() != new_text[new_number.end():].split():
        return None
    start = len(new_line) - len(new_text)
    return [Segment(EQUAL, new_line[:start]), Segment(DELETE, old_number.group().rstrip()),
            Segment(INSERT, new_number.group().rstrip()), Segment(EQUAL, new_text[len(new_number.group().rstrip()):])]


def diff_words(old: str, new: str) -> tuple[Segment, ...]:
    """The word-level segments turning old into new.

    Lines (paragraphs) are matched first and only changed blocks are compared word by word, which keeps
    10,000-word documents fast; white space differences are ignored and the new text's layout is kept.
    """
    old_lines, new_lines = _lines(old), _lines(new)
    matcher = difflib.SequenceMatcher(None, [_line_key(x) for x in old_lines], [_line_key(x) for x in new_lines],
                                      autojunk=False)
    out: list[Segment] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":  # the same lines but for their numbers and spacing
            for old_line, new_line in zip(old_lines[i1:i2], new_lines[j1:j2]):
                if old_line == new_line or old_line.split() == new_line.split():
                    out.append(Segment(EQUAL, new_line))
                else:
                    out.extend(_renumbered(old_line, new_line) or _block_segments(old_line, new_line))
        else:
            out.extend(_block_segments("".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])))
    return _merge(out)


def word_counts(segments: tuple[Segment, ...]) -> tuple[int, int]:
    """Words added and words removed by the segments."""
    added = sum(count_words(s.text) for s in segments if s.op == INSERT)
    removed = sum(count_words(s.text) for s in segments if s.op == DELETE)
    return added, removed


def _head(text: str, count: int) -> str:
    """The beginning of text up to and including its `count`-th token."""
    if not count:
        return ""
    found = list(islice(_TOKEN.finditer(text), count))
    return text if len(found) < count else text[: found[-1].end()]


def _tail(text: str, count: int) -> str:
    """The end of text from its `count`-th last token on (without the white space before that token)."""
    if not count:
        return ""
    window = count * 24  # tokens are short: look at the end of the text first, not the whole of it
    while True:
        start = max(len(text) - window, 0)
        found = list(_TOKEN.finditer(text, start))
        if len(found) > count or start == 0:
            break
        window *= 4
    return text if len(found) <= count else text[found[-count].start(2):]


def _longer_than(text: str, count: int) -> bool:
    return next(islice(_TOKEN.finditer(text), count, None), None) is not None


def hunks(segments: tuple[Segment, ...], context: int) -> tuple[tuple[Hunk, ...], int]:
    """Group segments into hunks keeping `context` tokens around each change; longer unchanged stretches collapse.

    Returns the hunks and the number of unchanged words collapsed after the last one.
    """
    if not any(s.op != EQUAL for s in segments):
        return (), sum(count_words(s.text) for s in segments)
    out: list[Hunk] = []
    current: list[Segment] = []
    skipped = 0
    last = max(i for i, s in enumerate(segments) if s.op != EQUAL)
    first = min(i for i, s in enumerate(segments) if s.op != EQUAL)
    after = 0
    for i, s in enumerate(segments):
        if s.op != EQUAL:
            current.append(s)
            continue
        if i < first:  # before the first change: only the end is context
            tail = _tail(s.text, context)
            skipped = count_words(s.text[: len(s.text) - len(tail)])
            current.append(Segment(EQUAL, tail))
        elif i > last:  # after the last change: only the beginning is context
            head = _head(s.text, context)
            after = count_words(s.text[len(head):])
            current.append(Segment(EQUAL, head))
        elif not _longer_than(s.text, 2 * context + context // 2 + 1):  # too short to be worth collapsing
            current.append(s)
        else:
            head, tail = _head(s.text, context), _tail(s.text, context)
            current.append(Segment(EQUAL, head))
            out.append(Hunk(skipped, _trim(current)))
            skipped = count_words(s.text[len(head): len(s.text) - len(tail)])
            current = [Segment(EQUAL, tail)]
    out.append(Hunk(skipped, _trim(current)))
    return tuple(out), after


def _trim(segments: list[Segment]) -> tuple[Segment, ...]:
    """A hunk's segments without white space at its two edges (the collapsed marks stand there)."""
    items = list(segments)
    if items and items[0].op == EQUAL:
        items[0] = Segment(EQUAL, items[0].text.lstrip())
    if items and items[-1].op == EQUAL:
        items[-1] = Segment(EQUAL, items[-1].text.rstrip())
    return tuple(s for s in items if s.text)


def compare(old: str, new: str, context: int | None = None) -> TextDiff:
    """The diff of two texts: with context=None one hunk holding everything, else hunks with that much context."""
    segments = diff_words(old, new)
    added, removed = word_counts(segments)
    if context is None:
        trimmed = _trim(list(segments))
        return TextDiff((Hunk(0, trimmed),) if trimmed else (), 0, added, removed)
    found, after = hunks(segments, context)
    return TextDiff(found, after, added, removed)
