"""`salesdrill report`: one self-contained HTML file, of a certificate or of a trainee's attempts, in Chinese or English.

Inline CSS and inline SVG charts; no script, no outside link, and a
Content-Security-Policy that forbids scripts anyway. Every text that comes
from a file or a rep (names, replies, persona lines) goes through
`html.escape`, so a reply like `<script>alert(1)</script>` shows as text.
The page's own words follow the language asked for; drill titles and
principle names are taken in that language from the installed drills and
library when they are there, so a Chinese exam can be reported in English.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from typing import Any

from simulator.certification.certificate import check_signature, read_certificate
from simulator.certification.history import attempt_state, trainee_stats
from simulator.certification.keys import load_key
from simulator.certification.store import Store
from simulator.certification.svg import Bar, bar_chart, column_chart
from simulator.certification.texts import outcome, x
from simulator.errors import CertificateError, UnknownIdError, UsageError
from simulator.loader import Catalog
from simulator.version import __version__

__all__ = ["certificate_report", "page", "trainee_report"]

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", "Microsoft YaHei",
       sans-serif; margin: 2rem auto; max-width: 1000px; color: #222; padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { margin-top: 2rem; border-bottom: 1px solid #ddd; }
.meta { color: #555; } .meta span { margin-right: 1.2rem; }
.badge { display: inline-block; padding: .2rem .7rem; border-radius: .3rem; color: #fff; font-weight: bold; }
.pass { background: #2e9d5b; } .fail { background: #d1453b; } .incomplete { background: #d9a300; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0; }
th, td { border: 1px solid #ddd; padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: #f4f4f4; white-space: nowrap; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
svg.chart { display: block; margin: .8rem 0; font-size: 13px; }
svg.chart text { fill: #222; } svg.chart .chart-title { font-weight: bold; } svg.chart .marker { fill: #333; }
.turn { margin: .5rem 0 .9rem; } .persona { color: #1f5fa8; } .rep { background: #f7f7f2; padding: .3rem .5rem;
  border-left: 3px solid #999; white-space: pre-wrap; word-break: break-word; }
.score { font-weight: bold; } .hit { color: #2e7d4f; } .miss { color: #a86c00; } .anti { color: #c0392b; }
.late { color: #c0392b; font-weight: bold; } code { font-size: .85em; color: #555; word-break: break-all; }
footer { margin-top: 3rem; color: #777; font-size: .85rem; }
"""
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def page(title: str, body: str, lang: str) -> str:
    html_lang = "zh-CN" if lang == "zh" else "en"
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    return (f'<!DOCTYPE html>\n<html lang="{html_lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}\n"
            f"<footer>salesdrill {escape(__version__)} · {escape(stamp)}</footer>\n</body>\n</html>\n")


def _e(value: Any) -> str:
    return escape("" if value is None else str(value))


def _head(columns: str) -> str:
    return "<thead><tr>" + "".join(f"<th>{_e(c)}</th>" for c in columns.split("|")) + "</tr></thead>"


def _badge(passed: bool, status: str, lang: str) -> str:
    if status != "complete":
        return f'<span class="badge incomplete">{_e(x("r_badge_incomplete", lang))}</span>'
    if passed:
        return f'<span class="badge pass">{_e(x("r_badge_passed", lang))}</span>'
    return f'<span class="badge fail">{_e(x("r_badge_failed", lang))}</span>'


def _cell_verdict(passed: bool, lang: str) -> str:
    return (f'<span class="hit">{_e(x("r_cell_passed", lang))}</span>' if passed
            else f'<span class="anti">{_e(x("r_cell_failed", lang))}</span>')


class _Names:
    """Drill titles and principle names in the report's language: installed ones first, then what the file says."""

    def __init__(self, catalog: Catalog, lang: str, stored: dict[str, str] | None = None) -> None:
        self.catalog, self.lang, self.stored = catalog, lang, stored or {}

    def principle(self, pid: str) -> str:
        if pid in self.catalog.library:
            return self.catalog.library[pid].name.get(self.lang)
        return self.stored.get(pid, pid)

    def drill(self, drill: str, title: Any = None) -> str:
        if isinstance(title, dict) and title.get(self.lang):
            return str(title[self.lang])
        if drill in self.catalog.scenarios:
            return self.catalog.scenarios[drill].title.get(self.lang)
        return str(title or drill)

    def persona(self, pid: Any, lang: str) -> str:
        """In the exam's language, like the lines the persona spoke."""
        persona = self.catalog.personas.get(str(pid))
        return persona.name.get(lang) if persona else str(pid or "")


def _principle_bars(principles: dict[str, Any], names: _Names) -> tuple[list[Bar], list[Bar]]:
    good, anti = [], []
    for pid, p in sorted(principles.items(), key=lambda kv: names.principle(kv[0])):
        if p.get("kind") == "anti_pattern":
            n = int(p.get("anti_pattern", 0))
            anti.append(Bar(names.principle(pid), min(1.0, n / 5), f"×{n}", "bad"))
            continue
        hit, missed = int(p.get("hit", 0)), int(p.get("missed", 0))
        seen = hit + missed
        if not seen:
            continue
        rate = hit / seen
        good.append(Bar(names.principle(pid), rate, f"{hit}/{seen} ({rate:.0%})",
                        "good" if rate >= 0.7 else "warn" if rate >= 0.4 else "bad"))
    return good, anti


def _transcript(entry: dict[str, Any], names: _Names, lang: str) -> str:
    out = []
    records = entry.get("transcript", [])
    header: dict[str, Any] = next((r for r in records if r.get("type") == "header"), {})
    who = names.persona(header.get("persona"), str(header.get("lang") or lang))
    if header.get("persona_line"):
        out.append(f'<div class="turn persona">{_e(who)}: {_e(header["persona_line"])}</div>')
    for r in records:
        if r.get("type") != "turn":
            continue
        hits = ", ".join(_e(names.principle(p)) for p in r.get("hits", []))
        missed = ", ".join(_e(names.principle(p)) for p in r.get("missed", []))
        anti = ", ".join(_e(names.principle(p)) for p in r.get("anti_patterns", []))
        late = f' <span class="late">{_e(x("r_late", lang, seconds=r.get("seconds")))}</span>' if r.get("late") else ""
        out.append(
            f'<div class="turn"><div class="rep">{_e(r.get("reply"))}</div>'
            f'<div><span class="score">{_e(r.get("score"))}</span>{late}'
            + (f' · <span class="hit">✓ {hits}</span>' if hits else "")
            + (f' · <span class="miss">✗ {missed}</span>' if missed else "")
            + (f' · <span class="anti">⚠ {anti}</span>' if anti else "")
            + f'</div><div class="persona">{_e(who)}: {_e(r.get("persona_line"))}</div></div>')
    return "\n".join(out)


def _drill_title(d: dict[str, Any], names: _Names) -> str:
    header: dict[str, Any] = next((r for r in d.get("transcript", []) if r.get("type") == "header"), {})
    return names.drill(str(d.get("drill")), header.get("title") or d.get("title"))


def _drill_rows(c: dict[str, Any], names: _Names, lang: str) -> tuple[str, list[Bar]]:
    """The table rows and chart bars of every drill of the suite, those never reached included (at 0)."""
    rows, bars = [], []
    played = {d.get("drill"): d for d in c["drills"]}
    suite_drills = [d.get("drill") for d in c.get("suite", {}).get("drills", [])] or list(played)
    suite_marks = {d.get("drill"): d.get("pass_mark") for d in c.get("suite", {}).get("drills", [])}
    for i, drill in enumerate(suite_drills, 1):
        d = played.get(drill)
        title = _drill_title(d, names) if d else names.drill(str(drill))
        if d is None:
            result = (0, suite_marks.get(drill), outcome("not_reached", lang), 0, 0, False)
        else:
            end = f" ({d['end']})" if d.get("end") else ""
            result = (d.get("score"), d.get("pass_mark"), outcome(d.get("outcome"), lang) + end, d.get("turns"),
                      d.get("late_turns", 0), bool(d.get("passed")))
        score, mark, how, turns, late, passed = result
        rows.append(f'<tr><td class="num">{_e(d.get("position", i) if d else i)}</td><td>{_e(title)}<br>'
                    f'<code>{_e(drill)}</code></td><td class="num">{_e(score)}</td><td class="num">{_e(mark)}</td>'
                    f'<td>{_e(how)}</td><td class="num">{_e(turns)}</td><td class="num">{_e(late)}</td>'
                    f"<td>{_cell_verdict(passed, lang)}</td></tr>")
        kind = "good" if passed else "bad" if d is not None else "none"
        bars.append(Bar(title, int(score or 0) / 100, str(score if d is not None else "-"), kind))
    return "".join(rows), bars


def _versions(c: dict[str, Any], lang: str) -> str:
    versions, suite = c.get("versions", {}), c.get("suite", {})

    def listed(key: str) -> str:
        return "".join(f"<li><code>{_e(k)}</code> <code>{_e(v)}</code></li>"
                       for k, v in sorted(versions.get(key, {}).items()))

    personas = (f"<li>{_e(x('r_v_personas', lang))}:<ul>{listed('personas')}</ul></li>"
                if versions.get("personas") else "")
    return (f"<ul><li>{_e(x('r_v_salesdrill', lang))} <code>{_e(versions.get('salesdrill'))}</code></li>"
            f"<li>{_e(x('r_v_scorer', lang))} <code>{_e(versions.get('scorer'))}</code></li>"
            f"<li>{_e(x('r_v_library', lang))} <code>{_e(versions.get('library'))}</code></li>"
            f"<li>{_e(x('r_v_drills', lang))}:<ul>{listed('drills')}</ul></li>{personas}"
            f"<li>{_e(x('r_v_suite', lang))} <code>{_e(suite.get('id'))}</code> <code>{_e(suite.get('digest'))}</code></li>"
            "</ul>")


def certificate_report(path: str, catalog: Catalog, lang: str | None = None) -> str:
    """The report of one certificate, in `lang` (default: the exam's); refused, like verify, unless its signature holds."""
    document = read_certificate(path)
    key = load_key(create=False)
    check = check_signature(document, key)
    if not check.intact:
        why = "TAMPERED: the signature does not match the content" if check.same_key else \
            "signed with another key; give it by SALESDRILL_CERT_KEY or SALESDRILL_CERT_KEY_FILE"
        raise CertificateError(path, f"{why}; no report written")
    c = document["certificate"]
    lang = lang or (c.get("lang") if c.get("lang") in ("zh", "en") else "en")
    suite = c.get("suite", {})
    title = suite.get("title", {}).get(lang) if isinstance(suite.get("title"), dict) else suite.get("id")
    result = c["result"]
    names = _Names(catalog, lang, {pid: str(p.get("name", pid)) for pid, p in c.get("principles", {}).items()})
    rows, drill_bars = _drill_rows(c, names, lang)
    good, anti = _principle_bars(c.get("principles", {}), names)
    drill_marks = {d.get("pass_mark") for d in suite.get("drills", c["drills"])}
    mark = drill_marks.pop() if len(drill_marks) == 1 else None
    charts = bar_chart(drill_bars, x("r_chart_drills", lang), marker=mark / 100 if isinstance(mark, int) else None,
                       marker_text=x("r_chart_drill_mark", lang, mark=mark))
    if good:
        charts += bar_chart(good, x("r_chart_principles", lang))
    if anti:
        charts += bar_chart(anti, x("r_chart_anti", lang))
    transcripts = "".join(f'<h3>{_e(d.get("position"))}. {_e(_drill_title(d, names))}</h3>\n'
                          f"{_transcript(d, names, lang)}" for d in c["drills"])
    status = x("r_complete" if c.get("status") == "complete" else "r_incomplete", lang)
    body = f"""<h1>{_e(c["trainee"])} · {_e(title)}</h1>
<p>{_badge(bool(result.get("passed")), c["status"], lang)} <span class="score">{_e(x("r_score", lang, score=result.get("score")))}</span>
{_e(x("r_result_note", lang, mark=result.get("pass_mark"), passed=result.get("drills_passed"), total=result.get("drills_total")))}</p>
<p class="meta"><span>{_e(x("r_attempt", lang, n=c.get("attempt")))}</span><span>{_e(status)}</span>
<span>{_e(x("r_started", lang, at=c.get("started")))}</span><span>{_e(x("r_finished", lang, at=c.get("finished")))}</span>
<span>{_e(x("r_language", lang, language=c.get("lang")))}</span><span>{_e(x("r_seed", lang, seed=c.get("seed")))}</span></p>
<p class="meta">{_e(x("r_signature", lang, key=key.id))} <code>{_e(c.get("id"))}</code></p>
<h2>{_e(x("r_drills", lang))}</h2>
<table>{_head(x("r_columns", lang))}<tbody>
{rows}
</tbody></table>
<h2>{_e(x("r_charts", lang))}</h2>
{charts}
<h2>{_e(x("r_transcript", lang))}</h2>
{transcripts}
<h2>{_e(x("r_graded_with", lang))}</h2>
{_versions(c, lang)}"""
    return page(f"{c['trainee']} · {title}", body, lang)


def _latest_rows(store: Store, attempt_id: str, suite_info: dict[str, Any], names: _Names, lang: str) -> str:
    """The latest attempt drill by drill, those never reached included."""
    rows = {d.drill: d for d in store.drills(attempt_id)}
    order = [d.get("drill") for d in suite_info.get("drills", [])] or list(rows)
    marks = {d.get("drill"): d.get("pass_mark") for d in suite_info.get("drills", [])}
    out = []
    for i, drill in enumerate(order, 1):
        d = rows.get(drill)
        how = outcome("not_reached", lang) if d is None else outcome(d.outcome, lang)
        out.append(f'<tr><td class="num">{i}</td><td>{_e(names.drill(str(drill), d.header.get("title") if d else None))}'
                   f'<br><code>{_e(drill)}</code></td><td class="num">{_e(d.score if d and d.score is not None else 0)}'
                   f'</td><td class="num">{_e(d.pass_mark if d else marks.get(drill))}</td><td>{_e(how)}</td>'
                   f"<td>{_cell_verdict(bool(d and d.passed), lang)}</td></tr>")
    return "".join(out)


def trainee_report(store: Store, catalog: Catalog, trainee: str, lang: str, suite: str | None = None) -> str:
    stats = trainee_stats(store, trainee, suite)
    if not stats.attempts:
        taken = sorted({a.suite for a in store.attempts(trainee)})
        if suite and taken:
            raise UsageError(f"trainee '{trainee}' has no attempt at suite '{suite}' (only at: {', '.join(taken)})")
        raise UnknownIdError("trainee", trainee, store.trainees(suite))
    names = _Names(catalog, lang)
    attempt_rows = []
    bars = []
    for a in stats.attempts:
        state = x("r_interrupted", lang) if a.interrupted else x(f"r_{a.status}", lang)
        attempt_rows.append(f'<tr><td class="num">{a.number}</td><td>{_e(a.suite)}</td><td>{_e(a.started)}</td>'
                            f'<td>{_e(state)}</td><td class="num">{_e(a.score)}</td>'
                            f"<td>{_badge(bool(a.passed), a.status, lang)}</td>"
                            f"<td><code>{_e(a.certificate)}</code></td></tr>")
        kind = {"passed": "good", "interrupted": "none"}.get(attempt_state(a), "bad")
        bars.append(Bar(f"#{a.number}", (a.score or 0) / 100, "-" if a.score is None else str(a.score), kind))
    marks = {a.suite_info.get("pass_mark") for a in stats.attempts}
    mark = marks.pop() if len(marks) == 1 else None
    chart = column_chart(bars, x("r_chart_attempts", lang), marker=(mark / 100) if isinstance(mark, int) else None,
                         marker_text=str(mark or ""))
    weak = [Bar(names.principle(w.principle), w.rate,
                x("r_missed_of", lang, missed=w.missed, expected=w.expected, rate=f"{w.rate:.0%}"),
                "bad" if w.rate >= 0.5 else "warn") for w in stats.weak[:10]]
    weak_chart = bar_chart(weak, x("r_chart_missed", lang)) if weak else f"<p>{_e(x('r_none_missed', lang))}</p>"
    latest = stats.attempts[-1]
    best = "-" if stats.best is None else stats.best
    body = f"""<h1>{_e(trainee)}</h1>
<p><span class="score">{_e(x("r_trainee_summary", lang, n=len(stats.attempts), passed=stats.passed))}</span>
{_e(x("r_trainee_note", lang, rate=f"{stats.pass_rate:.0%}", best=best))}</p>
<h2>{_e(x("r_attempts", lang))}</h2>
<table>{_head(x("r_attempt_columns", lang))}<tbody>{"".join(attempt_rows)}</tbody></table>
<h2>{_e(x("r_charts", lang))}</h2>
{chart}
{weak_chart}
<h2>{_e(x("r_latest", lang))}</h2>
<table>{_head(x("r_latest_columns", lang))}
<tbody>{_latest_rows(store, latest.id, latest.suite_info, names, lang)}</tbody></table>"""
    return page(f"{trainee} · salesdrill", body, lang)
