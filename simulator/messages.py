"""The interface's own words in Chinese and English, by key; and the rep's language.

Content (persona lines, tips) lives in the YAML files; this is only the chrome
around it: labels, prompts, the summary's headings, the closing advice.
"""

from __future__ import annotations

import locale
import os

__all__ = ["CLOSING_ADVICE", "default_lang", "section_title", "t"]

_MESSAGES: dict[str, dict[str, str]] = {
    "drill": {"zh": "练习", "en": "Drill"},
    "turn": {"zh": "回合", "en": "Turn"},
    "patience": {"zh": "耐心", "en": "Patience"},
    "score": {"zh": "得分", "en": "Score"},
    "goal": {"zh": "目标", "en": "Goal"},
    "situation": {"zh": "情境", "en": "Situation"},
    "prospect": {"zh": "客户", "en": "Prospect"},
    "you": {"zh": "你", "en": "You"},
    "commands": {
        "zh": "输入你的回答并回车。命令:/hint 提示 · /model 范例回答 · /restart 重来 · /quit 结束",
        "en": "Type your reply and press Enter. Commands: /hint · /model · /restart · /quit",
    },
    "toolbar_keys": {"zh": "/hint /model /restart /quit", "en": "/hint /model /restart /quit"},
    "hit": {"zh": "做到了", "en": "Hit"},
    "missed": {"zh": "缺少", "en": "Missed"},
    "also": {"zh": "另外", "en": "Also"},
    "penalty": {"zh": "扣分", "en": "Penalty"},
    "tip": {"zh": "讲义建议", "en": "Lecture tip"},
    "hint": {"zh": "提示", "en": "Hint"},
    "model_answer": {"zh": "范例回答", "en": "Model answer"},
    "near_miss": {"zh": "差一点", "en": "Near miss"},
    "cue_words": {"zh": "关键词 {pairs}", "en": "cue words {pairs}"},
    "typo": {"zh": "(错字)", "en": " (typo)"},
    "like_exemplar": {"zh": "与范例“{exemplar}”相似({similarity:.0f}%)", "en": "like exemplar '{exemplar}' ({similarity:.0f}%)"},
    "negated_word": {"zh": "“{words}”前面有否定词,不算", "en": "'{words}' not counted, it is negated"},
    "blank_reply": {"zh": "(回答是空的,请再输入一次)", "en": "(Empty reply: please type your answer.)"},
    "unknown_command": {
        "zh": "未知命令 {command};可用:/hint /model /restart /quit",
        "en": "Unknown command {command}; try /hint /model /restart /quit",
    },
    "restarting": {"zh": "重新开始本练习……", "en": "Restarting the drill..."},
    "summary": {"zh": "练习总结", "en": "Session summary"},
    "outcome": {"zh": "结果", "en": "Outcome"},
    "outcome_success": {"zh": "成功", "en": "success"},
    "outcome_failure": {"zh": "失败", "en": "failure"},
    "outcome_incomplete": {"zh": "未完成", "en": "incomplete"},
    "end_state": {"zh": "结束于", "en": "Ended at"},
    "session_score": {"zh": "总分", "en": "Session score"},
    "timeline": {"zh": "时间线", "en": "Timeline"},
    "principles_hit": {"zh": "做到的原则", "en": "Principles hit"},
    "principles_missed": {"zh": "缺少的原则", "en": "Principles missed"},
    "anti_patterns": {"zh": "出现的错误做法", "en": "Anti-patterns"},
    "transcript": {"zh": "记录文件", "en": "Transcript"},
    "none": {"zh": "无", "en": "none"},
    "moved_patience": {"zh": "对方失去耐心", "en": "the prospect ran out of patience"},
    "moved_tries": {"zh": "同一异议第三次没答好", "en": "a third weak answer to the same objection"},
    "moved_stay": {"zh": "对方立场未变", "en": "the prospect did not move"},
    "menu_title": {"zh": "salesdrill · 陌生电话异议训练", "en": "salesdrill · cold-call objection drills"},
    "menu_prompt": {"zh": "选择练习编号(q 退出):", "en": "Choose a drill number (q to quit): "},
    "menu_invalid": {"zh": "请输入列表中的编号,或 q 退出。", "en": "Enter a number from the list, or q to quit."},
    "menu_next": {"zh": "建议下一个练习:{title}", "en": "Suggested next drill: {title}"},
    "difficulty": {"zh": "难度", "en": "Difficulty"},
    "call_ended": {"zh": "通话结束。", "en": "The call has ended."},
    "stopped": {"zh": "练习已结束。", "en": "Session ended."},
    "patience_label": {"zh": "耐心", "en": "patience"},
}

SECTIONS = {
    "decision_maker": {"zh": "一、找到真正的决策者", "en": "1. Reaching the decision maker"},
    "objections": {"zh": "二、应对拒绝理由", "en": "2. Handling objections"},
    "customer_management": {"zh": "三、客户管理", "en": "3. Managing customers"},
}

CLOSING_ADVICE = {
    "success": {
        "zh": "制订目标,拥有信心,持之以恒,充满乐趣——把目标定得更高,试试更难的练习。",
        "en": "Set goals, have confidence, persevere, enjoy it: aim higher and try a harder drill.",
    },
    "failure": {
        "zh": "“每一失败里面都孕育着一个相同或者更大的希望。”持之以恒:看看缺少的原则,再来一次。",
        "en": "\"Every failure carries the seed of an equal or greater benefit.\" Persevere: study what you missed and go again.",
    },
    "incomplete": {
        "zh": "客户开发不是一项工作,而是一项游戏。准备好了就回来把这通电话打完。",
        "en": "Prospecting is a game, not a chore. Come back and finish the call when you're ready.",
    },
}


def t(key: str, lang: str, **values: object) -> str:
    """The interface text for `key` in `lang` (English when a key has no such language)."""
    entry = _MESSAGES[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**values) if values else text


def section_title(section: str, lang: str) -> str:
    """A lecture section's heading; an unknown section (a trainer's own) shows as its id."""
    entry = SECTIONS.get(section)
    return entry.get(lang, entry["en"]) if entry else section


def default_lang() -> str:
    """Chinese when the locale says so (SALESDRILL_LANG first), else English."""
    forced = os.environ.get("SALESDRILL_LANG", "")
    if forced in ("zh", "en"):
        return forced
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    try:
        current = locale.getlocale()[0] or ""
    except ValueError:
        current = ""
    return "zh" if current.lower().startswith("zh") else "en"
