from __future__ import annotations

import pytest

from scoring.normalise import (
    DATE,
    MAX_REPLY_CHARS,
    TIME,
    normalise,
    to_simplified,
    traditional_characters,
)


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("太好了!這正是我打電話給您的原因。", "太好了 | 这正是我打电话给您的原因"),
        ("ＡＢＣ　Ｈｅｌｌｏ", "abc hello"),
        ("Great, THANKS!", "great | thanks"),
        ("便宜一点可以吗", "便宜一点可以吗"),  # "一点" is "a little", not one o'clock
        ("\x1b[31mred\x1b[0m text\x07", "red text"),
        ("we offer 24/7 support", "we offer 24 7 support"),
    ],
)
def test_text_is_folded(reply, expected):
    assert normalise(reply).text == expected


@pytest.mark.parametrize(
    ("reply", "dates", "times"),
    [
        ("下周二下午3点半您有空吗", 1, 1),
        ("3月15日下午两点", 1, 1),
        ("周三上午十点可以吗", 1, 1),
        ("明天上午九点半", 1, 1),
        ("Are you free next Thursday at 10:30?", 1, 1),
        ("how about tusday at 3pm", 1, 1),
        ("March 15th at 2 p.m.", 1, 1),
        ("Could I drop by today at 4pm?", 1, 1),
        ("I'm free at 3 o'clock on the 15th of March", 1, 1),
        ("what time works for you?", 0, 0),
        ("我们和200家公司合作", 0, 0),
        ("at about 200 companies", 0, 0),
        ("您什么时候方便?", 0, 0),
    ],
)
def test_dates_and_times_become_tokens(reply, dates, times):
    result = normalise(reply)
    assert (result.dates > 0, result.times > 0) == (dates > 0, times > 0), result.text
    if dates:
        assert DATE in result.text
    if times:
        assert TIME in result.text


def test_same_slot_in_different_words_reads_the_same():
    assert normalise("周二下午三点").text == normalise("星期四上午10点").text == f"{DATE} {TIME}"


def test_flat_has_no_clause_marks():
    assert normalise("好的。谢谢!").flat == "好的 谢谢"


def test_huge_reply_is_cut_and_total():
    result = normalise("价格" * 100_000)
    assert len(result.text) <= MAX_REPLY_CHARS


@pytest.mark.parametrize("reply", ["", "   ", "\x00\x01", "🙂🙂", "\u202e\u200b"])
def test_degenerate_input_is_handled(reply):
    assert isinstance(normalise(reply).text, str)


@pytest.mark.parametrize("blank", [" ", "\u200b", " \t", "\x1b[0m "])
def test_a_long_run_of_blanks_is_linear_and_empty(blank):
    # Once cubic in the date patterns' backtracking: 4,000 blanks took minutes. A fast machine
    # does this in a millisecond; the assertion is on the result, the fuzzers catch a hang.
    assert normalise(blank * 4000).text == ""


def test_every_character_opencc_changes_on_its_own_is_in_the_traditional_table():
    """The table lets the normaliser skip OpenCC; a character it lacks would go unconverted."""
    import opencc

    table = traditional_characters()
    code_points = [*range(0x3400, 0xA000), *range(0xF900, 0xFB00), *range(0x20000, 0x2FA20)]
    originals = [chr(c) for c in code_points]
    converted = opencc.OpenCC("t2s").convert("\n".join(originals)).split("\n")
    assert len(converted) == len(originals)
    missing = [a for a, b in zip(originals, converted, strict=True) if a != b and a not in table]
    assert missing == []


@pytest.mark.parametrize("reply, expected", [
    ("這個價格太貴了", "这个价格太贵了"),  # characters of the table
    ("一目瞭然", "一目了然"),  # a phrase: 瞭 alone may stay, in the phrase it changes
    ("这个价格太贵了", "这个价格太贵了"),  # simplified already: OpenCC is not asked
])
def test_traditional_text_is_converted_and_simplified_passes_through(reply, expected):
    assert to_simplified(reply) == expected
