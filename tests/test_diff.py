"""Word-level diffs on strings: segments, word counts, hunks with context and collapsed stretches."""
from __future__ import annotations

import random

import pytest

from atlas.diff import (DELETE, EQUAL, INSERT, Segment, compare, count_words, diff_words, hunks, same_wording, tokens,
                       word_counts)

WORDS = ("the provider may suspend access to services where customer data inputs outputs model training "
         "notice terms law agreement party user content account fees rights licence").split()


def long_text(words: int, seed: int = 7) -> str:
    """A deterministic document of `words` words in numbered paragraphs of 60 words."""
    rng = random.Random(seed)
    paragraphs = []
    for n in range(words // 60):
        body = " ".join(rng.choice(WORDS) for _ in range(59))
        paragraphs.append(f"{n + 1}. {body}.")
    return "\n\n".join(paragraphs) + "\n"


def old_side(segments) -> str:
    return "".join(s.text for s in segments if s.op != INSERT)


def new_side(segments) -> str:
    return "".join(s.text for s in segments if s.op != DELETE)


def marked(segments) -> str:
    """Segments as [-deleted-]{+inserted+} text, to read assertions at a glance."""
    return "".join(s.text if s.op == EQUAL else f"[-{s.text}-]" if s.op == DELETE else f"{{+{s.text}+}}" for s in segments)


def test_tokens_give_back_the_text() -> None:
    text = "  Section 2.7 says: 1,000 users don't opt-in.\n\nNext (b) line"
    found = tokens(text)
    assert "".join(space + word for space, word in found) == text.rstrip()
    assert [w for _, w in found][:6] == ["Section", "2.7", "says", ":", "1,000", "users"]
    assert ("", "don't") not in found and (" ", "don't") in found and (" ", "opt-in") in found


def test_same_wording_sets_white_space_aside_but_not_words_or_punctuation() -> None:
    assert same_wording("We may  train\n on inputs.", "We may train on inputs.")
    assert not same_wording("We may train on inputs.", "We may train on inputs;")  # a punctuation mark changed
    assert not same_wording("We may train on inputs.", "We may not train on inputs.")
    assert not same_wording("opt-in", "opt in")


def test_a_modified_clause() -> None:
    segments = diff_words("We may train our models on your inputs unless you opt out in settings.",
                          "We do not train our models on your inputs unless you opt in.")
    assert marked(segments) == "We [-may-]{+do not+} train our models on your inputs unless you opt[- out-] in[- settings-]."
    assert word_counts(segments) == (2, 3)


def test_insertions_keep_their_punctuation() -> None:
    segments = diff_words("create or distribute material, including AI-generated material.",
                          "create, distribute or promote material, including AI-generated material, in any setting.")
    assert marked(segments) == ("create{+, distribute+} or [-distribute-]{+promote+} material, including AI-generated "
                                "material{+, in any setting+}.")
    assert word_counts(segments) == (5, 1)


def test_segments_are_plain_text_and_merged() -> None:
    segments = diff_words("a <b>bold</b> claim", "a <i>bold</i> claim")
    assert all(isinstance(s, Segment) for s in segments)
    assert all(a.op != b.op for a, b in zip(segments, segments[1:]))  # neighbours differ: merged
    assert new_side(segments) == "a <i>bold</i> claim"  # markup stays text; the template escapes it
    assert old_side(segments) == "a <b>bold</b> claim"


def test_white_space_and_layout_are_not_changes() -> None:
    segments = diff_words("one two\nthree   four", "one  two three\nfour")
    assert [s.op for s in segments] == [EQUAL]
    assert word_counts(segments) == (0, 0)


def test_whole_paragraphs_added_and_removed() -> None:
    old = "Intro.\n\nGone paragraph here.\n\nKept one.\n"
    new = "Intro.\n\nKept one.\n\nBrand new paragraph.\n"
    segments = diff_words(old, new)
    assert [s.op for s in segments] == [EQUAL, DELETE, EQUAL, INSERT]
    assert segments[1].text == "Gone paragraph here.\n\n"
    assert segments[3].text == "Brand new paragraph.\n"
    assert word_counts(segments) == (3, 3)


def test_renumbered_paragraphs_show_only_the_number() -> None:
    old = "2.1 First clause text.\n\n2.2 Second clause text.\n\n2.3 Third clause text.\n"
    new = "2.1 First clause text.\n\n2.2 Third clause text.\n"
    segments = diff_words(old, new)
    assert marked(segments) == "2.1 First clause text.\n\n[-2.2 Second clause text.\n\n2.3-]{+2.2+} Third clause text.\n"
    assert word_counts(segments) == (1, 5)


def test_unrelated_sentences_are_one_replacement_not_confetti() -> None:
    segments = diff_words("The customer must pay the fees within thirty days of the invoice.",
                          "Outputs belong to the user who made the request in the account.")
    assert [s.op for s in segments] == [DELETE, INSERT, EQUAL] and segments[-1].text == "."


def test_identical_texts() -> None:
    diff = compare("Same words here.", "Same words here.", context=3)
    assert diff.hunks == () and diff.skipped_after == 3 and not diff.changed
    whole = compare("Same words here.", "Same words here.")
    assert [s.op for h in whole.hunks for s in h.segments] == [EQUAL]


def test_without_context_everything_is_one_hunk() -> None:
    diff = compare("alpha beta gamma delta", "alpha beta GAMMA delta")
    assert len(diff.hunks) == 1 and diff.hunks[0].skipped == 0 and diff.skipped_after == 0
    assert marked(diff.hunks[0].segments) == "alpha beta [-gamma-]{+GAMMA+} delta"
    assert (diff.added, diff.removed) == (1, 1)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_both_texts_can_be_read_back_from_the_segments(seed: int) -> None:
    rng = random.Random(seed)
    old = long_text(1200, seed)
    words = old.split(" ")
    for _ in range(25):  # replace, insert and delete words at random places
        i = rng.randrange(len(words))
        action = rng.choice(("replace", "insert", "delete"))
        if action == "replace":
            words[i] = rng.choice(WORDS).upper()
        elif action == "insert":
            words.insert(i, "INSERTED")
        else:
            del words[i]
    new = " ".join(words)
    segments = diff_words(old, new)
    assert new_side(segments).split() == new.split()
    assert old_side(segments).split() == old.split()
    added, removed = word_counts(segments)
    assert 0 < added <= 60 and 0 < removed <= 60
    assert count_words(new) - count_words(old) == added - removed


def test_a_ten_thousand_word_document_collapses_unchanged_stretches() -> None:
    old = long_text(12_000)
    paragraphs = old.split("\n\n")
    assert count_words(old) >= 12_000
    new_paragraphs = list(paragraphs)
    new_paragraphs[3] = new_paragraphs[3].replace("4. ", "4. Notwithstanding anything else, ", 1)  # 3 words in
    new_paragraphs[100] = new_paragraphs[100] + " This sentence is new."  # 4 words in
    del new_paragraphs[150]  # 60 words out
    new = "\n\n".join(new_paragraphs)
    diff = compare(old, new, context=10)
    assert (diff.added, diff.removed) == (7, 60)
    assert len(diff.hunks) == 3
    # Each hunk holds its change and at most 10 tokens of context on either side.
    for hunk in diff.hunks:
        shown = sum(len(tokens(s.text)) for s in hunk.segments if s.op == EQUAL)
        assert shown <= 21
    assert diff.hunks[0].skipped > 100 and diff.hunks[1].skipped > 5000 and diff.skipped_after > 2500
    shown_words = sum(count_words(s.text) for h in diff.hunks for s in h.segments if s.op != INSERT)
    collapsed = sum(h.skipped for h in diff.hunks) + diff.skipped_after
    assert shown_words + collapsed == count_words(old)  # every word of the old text is shown or counted
    inserted = [s.text for h in diff.hunks for s in h.segments if s.op == INSERT]
    assert inserted == [" Notwithstanding anything else,", " This sentence is new."]


def test_nearby_changes_share_one_hunk() -> None:
    old = " ".join(f"w{i}" for i in range(200))
    new = old.replace("w50 ", "x50 ").replace("w58 ", "x58 ").replace("w150 ", "x150 ")
    found, after = hunks(diff_words(old, new), 5)
    assert len(found) == 2  # w50 and w58 are 8 words apart: closer than twice the context
    assert found[0].skipped == 45 and found[1].skipped > 70 and after == 44
    assert marked(found[0].segments).startswith("w45 w46 w47 w48 w49 [-w50-]{+x50+}")


def test_count_words_counts_what_the_word_pattern_matches() -> None:
    # count_words takes a short cut for pieces that are plain words; it must agree with the pattern everywhere.
    import re
    from atlas.diff import _WORD_PATTERN
    rng = random.Random(11)
    alphabet = "ab1 2.,-'\u2019\u201c\u201d_()[]\n\t\u00e9\u00b2\u0663;:!?\u00a0\u2028"
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
        assert count_words(text) == len(re.findall(_WORD_PATTERN, text)), repr(text)
