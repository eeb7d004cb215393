"""Certification's own interface words in Chinese and English: the exam, history and the HTML report.

The drill content (titles, persona lines, principle names) comes from the
scenario and library files; this is only the chrome around it. A key missing
in one language falls back to English, and a test keeps both complete.
"""

from __future__ import annotations

__all__ = ["TEXTS", "outcome", "x"]

TEXTS: dict[str, dict[str, str]] = {
    # -- the exam ----------------------------------------------------------------------------------
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
    "every_drill": {"zh": "这个考试要求每个练习都成功结束并达到各自的及格分。",
                    "en": "This suite needs every drill to end in success at its own pass mark."},
    "incomplete_attempt": {"zh": "未完成的尝试不能通过。", "en": "An incomplete attempt cannot pass."},
    "certificate": {"zh": "证书:{path}", "en": "Certificate: {path}"},
    "attempt": {"zh": "第 {n} 次尝试", "en": "attempt {n}"},
    "toolbar": {"zh": " {trainee} │ 练习 {i}/{n} │ 回合 {turn}{limit} │ /next /quit ",
                "en": " {trainee} │ drill {i}/{n} │ turn {turn}{limit} │ /next /quit "},
    "toolbar_limit": {"zh": " │ 限时 {seconds} 秒", "en": " │ limit {seconds} s"},
    "you": {"zh": "你", "en": "You"},
    # -- outcomes of a drill -----------------------------------------------------------------------
    "outcome_success": {"zh": "成功", "en": "success"},
    "outcome_failure": {"zh": "失败", "en": "failure"},
    "outcome_incomplete": {"zh": "未完成", "en": "incomplete"},
    "outcome_not_reached": {"zh": "未开始", "en": "not reached"},
    # -- adaptive practice -------------------------------------------------------------------------
    "weakest": {"zh": "你最弱的原则:{name}(在 {expected} 次应有的回答中漏掉 {missed} 次)。",
                "en": "Your weakest principle: {name} (missed in {missed} of {expected} replies that needed it)."},
    "proposed": {"zh": "建议练习:{title}({drill}),其中 {states} 个环节需要用到它。",
                 "en": "Proposed drill: {title} ({drill}), where {states} moment(s) call for it."},
    "start_it": {"zh": "回车开始,q 退出:", "en": "Press Enter to start, q to quit: "},
    # -- history -----------------------------------------------------------------------------------
    "h_no_db": {"zh": "还没有认证结果(先运行 'salesdrill certify --trainee 姓名')",
                "en": "no certification results yet (run 'salesdrill certify --trainee NAME')"},
    "h_none": {"zh": "还没有认证记录{who}", "en": "no certification attempts{who} yet"},
    "h_for_trainee": {"zh": "(考生 {name})", "en": " for '{name}'"},
    "h_in_suite": {"zh": "(考试 {name})", "en": " in suite '{name}'"},
    "h_known": {"zh": ";数据库里有:{names}", "en": " (the database has: {names})"},
    "h_columns": {"zh": "考生|尝试|通过|通过率|最高|最近|最弱的原则",
                  "en": "trainee|attempts|passed|pass rate|best|last|weakest principle"},
    "h_totals": {"zh": "{trainees} 名考生,{attempts} 次尝试,通过率 {rate}",
                 "en": "{trainees} trainee(s), {attempts} attempt(s), pass rate {rate}"},
    "h_one": {"zh": "{trainee}:{n} 次尝试,通过 {passed} 次(通过率 {rate})",
              "en": "{trainee}: {n} attempt(s), {passed} passed (pass rate {rate})"},
    "h_over_time": {"zh": "历次得分{note}", "en": "Scores over time{note}"},
    "h_mark_note": {"zh": "(及格 {mark})", "en": " (pass mark {mark})"},
    "h_missed_most": {"zh": "最常缺少的原则", "en": "Principles missed most"},
    "h_missed_of": {"zh": "{expected} 次中缺少 {missed} 次({rate})", "en": "{missed}/{expected} missed ({rate})"},
    "state_interrupted": {"zh": "中断", "en": "interrupted"},
    "state_stopped": {"zh": "中止", "en": "stopped"},
    "state_passed": {"zh": "通过", "en": "PASSED"},
    "state_failed": {"zh": "未通过", "en": "failed"},
    # -- the HTML report ---------------------------------------------------------------------------
    "r_badge_passed": {"zh": "通过", "en": "PASSED"},
    "r_badge_failed": {"zh": "未通过", "en": "FAILED"},
    "r_badge_incomplete": {"zh": "未完成 · 未通过", "en": "INCOMPLETE · FAILED"},
    "r_score": {"zh": "总分 {score}", "en": "score {score}"},
    "r_result_note": {"zh": "(及格 {mark};{total} 个练习中通过 {passed} 个)",
                      "en": "(pass mark {mark}; {passed} of {total} drills passed)"},
    "r_attempt": {"zh": "第 {n} 次尝试", "en": "attempt {n}"},
    "r_complete": {"zh": "已完成", "en": "complete"},
    "r_incomplete": {"zh": "未完成", "en": "incomplete"},
    "r_interrupted": {"zh": "中断", "en": "interrupted"},
    "r_started": {"zh": "开始 {at}", "en": "started {at}"},
    "r_finished": {"zh": "结束 {at}", "en": "finished {at}"},
    "r_language": {"zh": "考试语言 {language}", "en": "language {language}"},
    "r_seed": {"zh": "随机种子 {seed}", "en": "seed {seed}"},
    "r_signature": {"zh": "签名已验证(HMAC-SHA256,密钥 {key})· 证书", "en": "Signature verified (HMAC-SHA256, key {key}) · certificate"},
    "r_drills": {"zh": "练习", "en": "Drills"},
    "r_charts": {"zh": "图表", "en": "Charts"},
    "r_transcript": {"zh": "对话记录", "en": "Transcript"},
    "r_graded_with": {"zh": "评分所用版本", "en": "Graded with"},
    "r_columns": {"zh": "#|练习|得分|及格|结果|回答数|超时|判定",
                  "en": "#|Drill|Score|Pass mark|Outcome|Replies|Late|Result"},
    "r_cell_passed": {"zh": "通过", "en": "passed"},
    "r_cell_failed": {"zh": "未通过", "en": "failed"},
    "r_chart_drills": {"zh": "各练习得分", "en": "Score per drill"},
    "r_chart_drill_mark": {"zh": "练习及格线 {mark}", "en": "drill pass mark {mark}"},
    "r_chart_principles": {"zh": "原则:应当做到的回答中做到的比例", "en": "Principles: replies that showed them, of those expected to"},
    "r_chart_anti": {"zh": "出现的错误做法", "en": "Anti-patterns shown"},
    "r_late": {"zh": "超时({seconds} 秒):记 0 分", "en": "late ({seconds} s): counts 0"},
    "r_v_salesdrill": {"zh": "salesdrill 版本", "en": "salesdrill"},
    "r_v_scorer": {"zh": "评分器", "en": "scorer"},
    "r_v_library": {"zh": "原则库", "en": "principle library"},
    "r_v_drills": {"zh": "练习文件(SHA-256)", "en": "drill files (SHA-256)"},
    "r_v_personas": {"zh": "客户角色", "en": "personas"},
    "r_v_suite": {"zh": "考试", "en": "suite"},
    "r_trainee_summary": {"zh": "{n} 次尝试,通过 {passed} 次", "en": "{n} attempt(s), {passed} passed"},
    "r_trainee_note": {"zh": "(通过率 {rate};最高分 {best})", "en": "(pass rate {rate}; best score {best})"},
    "r_attempts": {"zh": "历次尝试", "en": "Attempts"},
    "r_attempt_columns": {"zh": "#|考试|开始时间|状态|得分|判定|证书",
                          "en": "#|Suite|Started|Status|Score|Result|Certificate"},
    "r_chart_attempts": {"zh": "历次得分", "en": "Score per attempt"},
    "r_chart_missed": {"zh": "最常缺少的原则", "en": "Principles missed most"},
    "r_missed_of": {"zh": "{expected} 次中缺少 {missed} 次({rate})", "en": "{missed}/{expected} missed ({rate})"},
    "r_none_missed": {"zh": "目前没有缺少的原则。", "en": "No principle missed so far."},
    "r_latest": {"zh": "最近一次尝试的各练习", "en": "Latest attempt, drill by drill"},
    "r_latest_columns": {"zh": "#|练习|得分|及格|结果|判定", "en": "#|Drill|Score|Pass mark|Outcome|Result"},
}


def x(key: str, lang: str, /, **values: object) -> str:
    entry = TEXTS[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**values) if values else text


def outcome(value: str | None, lang: str) -> str:
    """A drill's outcome (success, failure, incomplete, not_reached) in words."""
    key = f"outcome_{value or 'incomplete'}"
    return x(key, lang) if key in TEXTS else str(value)
