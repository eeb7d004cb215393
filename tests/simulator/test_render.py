"""Screen widths of what we print, in terminal cells."""

from __future__ import annotations

from wcwidth import wcswidth

from simulator.render import cells_of, pad


def test_wide_characters_take_two_cells_and_marks_none():
    assert pad("你好", 6) == "你好  "
    assert pad("abc", 5) == "abc  "
    assert cells_of("e\u0301") == 1  # e with a combining acute
    assert cells_of("价格 ok") == 7


def test_cells_agree_with_wcwidth_on_every_name_and_title_we_print(catalog):
    texts = [text for sc in catalog.scenarios.values() for text in (sc.title.zh, sc.title.en)]
    texts += [text for p in catalog.library for text in (p.name.zh, p.name.en)]
    texts += [text for pe in catalog.personas.values() for text in (pe.name.zh, pe.name.en)]
    texts += ["结果: 失败 (hung_up)", "①②③ ★★☆", "Ｆｕｌｌｗｉｄｔｈ", "emoji 💡⚠"]
    assert len(texts) > 50
    for text in texts:
        assert cells_of(text) == wcswidth(text), text


def test_a_near_miss_names_dates_and_times_not_their_tokens():
    from scoring.matcher import NearMiss
    from simulator.explain import describe_near_miss

    near = NearMiss("partial", ("_date_", "我 _date_ 再打"), ("meet", "_time_"))
    assert describe_near_miss(near, "en") == "found '<date>', '我 <date> 再打' but not meet / <time> …"
    assert "〈日期〉" in describe_near_miss(near, "zh") and "_date_" not in describe_near_miss(near, "zh")
