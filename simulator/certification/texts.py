"""The exam's own interface words in Chinese and English (the drill content comes from the scenarios)."""

from __future__ import annotations

__all__ = ["x"]

_TEXTS: dict[str, dict[str, str]] = {
    "exam_title": {"zh": "认证考试:{suite}", "en": "Certification exam: {suite}"},
    "exam_rules": {
        "zh": "考生 {trainee} · 共 {n} 个练习 · 考试中没有提示、范例回答和逐句反馈,结束后一并显示。{limit}"
              "命令:/next 放弃本练习 · /quit 结束考试(仍计为一次尝试)",
        "en": "Trainee {trainee} · {n} drill(s) · no hints, model answers or feedback until the end. {limit}"
              "Commands: /next gives up this drill · /quit stops the exam (it still counts as an attempt)",
    },
    "time_limit": {"zh": "每次回答限时 {seconds} 秒,超时的回答记 0 分。", "en": "Each reply has {seconds} s; a later one scores 0. "},
    "drill_heading": {"zh": "练习 {i}/{n}:{title}", "en": "Drill {i}/{n}: {title}"},
    "not_in_exam": {"zh": "考试中不能使用 {command}。", "en": "{command} is not available in the exam."},
    "unknown_exam_command": {"zh": "未知命令 {command};可用:/next /quit", "en": "Unknown command {command}; try /next or /quit"},
    "late": {"zh": "(超过时限 {seconds} 秒:这次回答记 0 分)", "en": "(over the {seconds} s limit: this reply scores 0)"},
    "gave_up": {"zh": "(放弃本练习)", "en": "(drill given up)"},
    "stopped": {"zh": "考试已中止:记为未完成的一次尝试。", "en": "Exam stopped: recorded as an incomplete attempt."},
    "results": {"zh": "考试结果", "en": "Exam results"},
    "feedback_for": {"zh": "逐句反馈:{title}", "en": "Reply by reply: {title}"},
    "drill_row": {"zh": "{title}:{score} 分(及格 {mark})· {outcome} · {verdict}",
                  "en": "{title}: {score} (pass mark {mark}) · {outcome} · {verdict}"},
    "passed": {"zh": "通过", "en": "PASSED"},
    "failed": {"zh": "未通过", "en": "FAILED"},
    "overall": {"zh": "总分 {score}(及格 {mark}):{verdict}", "en": "Overall {score} (pass mark {mark}): {verdict}"},
    "incomplete_attempt": {"zh": "未完成的尝试不能通过。", "en": "An incomplete attempt cannot pass."},
    "certificate": {"zh": "证书:{path}", "en": "Certificate: {path}"},
    "attempt": {"zh": "第 {n} 次尝试", "en": "attempt {n}"},
    "toolbar": {"zh": " {trainee} │ 练习 {i}/{n} │ 回合 {turn}{limit} │ /next /quit ",
                "en": " {trainee} │ drill {i}/{n} │ turn {turn}{limit} │ /next /quit "},
    "toolbar_limit": {"zh": " │ 限时 {seconds} 秒", "en": " │ limit {seconds} s"},
    "you": {"zh": "你", "en": "You"},
}


def x(key: str, lang: str, **values: object) -> str:
    entry = _TEXTS[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**values) if values else text

_TEXTS.update({
    "weakest": {"zh": "你最弱的原则:{name}(在 {expected} 次应有的回答中漏掉 {missed} 次)。",
                "en": "Your weakest principle: {name} (missed in {missed} of {expected} replies that needed it)."},
    "proposed": {"zh": "建议练习:{title}({drill}),其中 {states} 个环节需要用到它。",
                 "en": "Proposed drill: {title} ({drill}), where {states} moment(s) call for it."},
    "start_it": {"zh": "回车开始,q 退出:", "en": "Press Enter to start, q to quit: "},
})
