"""Say why a reply scored what it did: the JSON record of `salesdrill score`, and its readable form."""

from __future__ import annotations

from typing import Any

from scoring.matcher import NearMiss
from scoring.principles import Library
from scoring.rubric import ReplyScore
from simulator.drivers import display_reply
from simulator.messages import t
from simulator.scenario import Scenario

__all__ = ["describe_near_miss", "explain_lines", "score_record", "shown_words", "worth_showing"]

_NEAR = {
    "partial": {"zh": "找到了“{words}”,但缺少{missing}", "en": "found '{words}' but not {missing}"},
    "slot": {"zh": "具体的日期或时间", "en": "a concrete date or time"},
    "exemplar": {"zh": "与范例“{exemplar}”只有 {similarity:.0f}% 相似", "en": "only {similarity:.0f}% like '{exemplar}'"},
    "negated": {"zh": "“{words}”前面有否定词,不算", "en": "'{words}' is negated, so it does not count"},
    "overridden": {"zh": "“{words}”不算:回复做到了 {by}", "en": "'{words}' does not count: the reply shows {by}"},
    "keyword_list": {"zh": "只是关键词的堆砌,不是回答:请对客户说一句完整的话",
                     "en": "only key words, not an answer: say it as a sentence to the prospect"},
}


# An anti-pattern that did not count is worth a line only when something ruled it out ("we never
# offer discounts", a call-back that rules out giving up); that a reply held one of its words is noise.
_ANTI_PATTERN_NEAR_MISSES = frozenset(("negated", "overridden"))


def worth_showing(pid: str, near: NearMiss | None, library: Library) -> bool:
    """Whether a near miss tells the rep something: always for a principle, for an anti-pattern only
    when it was ruled out."""
    return near is not None and (not library[pid].is_anti_pattern or near.reason in _ANTI_PATTERN_NEAR_MISSES)


_TOKEN_WORDS = {"_date_": {"zh": "〈日期〉", "en": "<date>"}, "_time_": {"zh": "〈时间〉", "en": "<time>"},
                "_name_": {"zh": "〈名称〉", "en": "<name>"}}


def shown_words(words: tuple[str, ...], lang: str) -> tuple[str, ...]:
    """Words as a rep reads them: the date, time and name tokens in them named ("我 〈日期〉 再打"), not raw."""
    out = []
    for word in words:
        for token, names in _TOKEN_WORDS.items():
            word = word.replace(token, names[lang])
        out.append(word)
    return tuple(out)


def describe_near_miss(near: NearMiss, lang: str) -> str:
    """One line, in the rep's language, on why evidence that was almost there did not count."""
    shown = shown_words(near.words, lang)
    words = "', '".join(shown) if lang == "en" else "”“".join(shown)
    if near.reason == "partial":
        missing = _NEAR["slot"][lang] if near.missing == ("_slot_",) else " / ".join(shown_words(near.missing, lang)) + " …"
        return _NEAR["partial"][lang].format(words=words, missing=missing)
    if near.reason == "overridden":
        return _NEAR["overridden"][lang].format(words=words, by=", ".join(near.missing))
    if near.reason == "exemplar":
        return _NEAR["exemplar"][lang].format(exemplar=near.exemplar, similarity=near.similarity)
    return _NEAR[near.reason][lang].format(words=words)


def score_record(reply: str, result: ReplyScore, scenario: Scenario, state: str, lang: str,
                 library: Library) -> dict[str, Any]:
    evidence = result.match.evidence
    return {
        "reply": reply,
        "drill": scenario.id,
        "state": state,
        "lang": lang,
        "score": result.score,
        "principles": list(result.found),
        "hits": list(result.hits),
        "anti_patterns": list(result.anti_patterns),
        "missed": list(result.missed),
        "penalties": {p.anti_pattern: p.points for p in result.penalties},
        "words": {pid: list(result.words(pid)) for pid in result.found + result.anti_patterns},
        "near_misses": {pid: describe_near_miss(ev.near_miss, "en") for pid, ev in evidence.items()
                        if ev.near_miss and (pid in result.missed or pid in library.anti_pattern_ids)
                        and worth_showing(pid, ev.near_miss, library)},
        "tip": library[result.tip_for].tip.get(lang) if result.tip_for else None,
    }


def explain_lines(reply: str, result: ReplyScore, library: Library, lang: str, detailed: bool) -> list[str]:
    """A few lines per reply; with `detailed`, the evidence behind every finding and near miss."""
    name = lambda pid: library[pid].name.get(lang)  # noqa: E731
    lines = [f"{result.score:>3}  {display_reply(reply)}"]
    if result.hits:
        lines.append(f"     ✓ {t('hit', lang)}: {', '.join(name(p) for p in result.hits)}")
    if result.missed:
        lines.append(f"     ✗ {t('missed', lang)}: {', '.join(name(p) for p in result.missed)}")
    if result.also_showed:
        lines.append(f"     + {t('also', lang)}: {', '.join(name(p) for p in result.also_showed)}")
    for p in result.penalties:
        lines.append(f"     ⚠ {t('penalty', lang)} -{p.points}: {name(p.anti_pattern)}")
    if result.tip_for:
        lines.append(f"     💡 {library[result.tip_for].tip.get(lang)}")
    if detailed:
        relevant = set(result.missed) | set(result.found) | set(library.anti_pattern_ids)
        for pid, ev in result.match.evidence.items():
            if pid not in relevant:
                continue
            label = f"{pid} ({ev.strength:.1f})"
            if ev.found:
                pairs = ", ".join(f"'{words}'~{term}{t('typo', lang) if f.fuzzy else ''}" for f in ev.found
                                  for words, term in [shown_words((f.words, f.term), lang)])
                lines.append(f"     · {label}: {t('cue_words', lang, pairs=pairs)}")
            elif ev.exemplar:
                lines.append(f"     · {label}: {t('like_exemplar', lang, exemplar=ev.exemplar, similarity=ev.similarity)}")
            if ev.near_miss and worth_showing(pid, ev.near_miss, library):
                lines.append(f"     · {pid}: {t('near_miss', lang)}, {describe_near_miss(ev.near_miss, lang)}")
            for words in dict.fromkeys(neg.words for neg in ev.negated):  # a word in several cues, once
                lines.append(f"     · {pid}: {t('negated_word', lang, words=words)}")
    return lines
