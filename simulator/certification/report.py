"""`salesdrill report`: one self-contained HTML file, of a certificate or of a trainee's attempts.

Inline CSS and inline SVG charts; no script, no outside link, and a
Content-Security-Policy that forbids scripts anyway. Every text that comes
from a file or a rep (names, replies, persona lines) goes through
`html.escape`, so a reply like `<script>alert(1)</script>` shows as text.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from typing import Any

from simulator.certification.certificate import check_signature, read_certificate
from simulator.certification.history import trainee_stats
from simulator.certification.keys import load_key
from simulator.certification.store import Store
from simulator.certification.svg import Bar, bar_chart, column_chart
from simulator.errors import CertificateError, UnknownIdError
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
th { background: #f4f4f4; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
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


def _verdict(passed: bool, status: str) -> str:
    if status != "complete":
        return '<span class="badge incomplete">INCOMPLETE · FAILED</span>'
    return '<span class="badge pass">PASSED</span>' if passed else '<span class="badge fail">FAILED</span>'


def _principle_bars(principles: dict[str, Any]) -> tuple[list[Bar], list[Bar]]:
    good, anti = [], []
    for _pid, p in sorted(principles.items(), key=lambda kv: kv[1].get("name", kv[0])):
        if p.get("kind") == "anti_pattern":
            n = int(p.get("anti_pattern", 0))
            anti.append(Bar(str(p.get("name", _pid)), min(1.0, n / 5), f"×{n}", "bad"))
            continue
        hit, missed = int(p.get("hit", 0)), int(p.get("missed", 0))
        seen = hit + missed
        if not seen:
            continue
        rate = hit / seen
        good.append(Bar(str(p.get("name", _pid)), rate, f"{hit}/{seen} ({rate:.0%})",
                        "good" if rate >= 0.7 else "warn" if rate >= 0.4 else "bad"))
    return good, anti


def _transcript(entry: dict[str, Any], names: dict[str, str], catalog: Catalog, lang: str) -> str:
    out = []
    records = entry.get("transcript", [])
    header: dict[str, Any] = next((r for r in records if r.get("type") == "header"), {})
    persona = catalog.personas.get(str(header.get("persona")))
    who = persona.name.get(lang) if persona else header.get("persona")
    if header.get("persona_line"):
        out.append(f'<div class="turn persona">{_e(who)}: {_e(header["persona_line"])}</div>')
    for r in records:
        if r.get("type") != "turn":
            continue
        hits = ", ".join(_e(names.get(p, p)) for p in r.get("hits", []))
        missed = ", ".join(_e(names.get(p, p)) for p in r.get("missed", []))
        anti = ", ".join(_e(names.get(p, p)) for p in r.get("anti_patterns", []))
        late = f' <span class="late">late ({_e(r.get("seconds"))} s): counts 0</span>' if r.get("late") else ""
        out.append(
            f'<div class="turn"><div class="rep">{_e(r.get("reply"))}</div>'
            f'<div><span class="score">{_e(r.get("score"))}</span>{late}'
            + (f' · <span class="hit">✓ {hits}</span>' if hits else "")
            + (f' · <span class="miss">✗ {missed}</span>' if missed else "")
            + (f' · <span class="anti">⚠ {anti}</span>' if anti else "")
            + f'</div><div class="persona">{_e(r.get("persona_line"))}</div></div>')
    return "\n".join(out)


def certificate_report(path: str, catalog: Catalog) -> str:
    """The report of one certificate; refused (like verify) unless its signature holds."""
    document = read_certificate(path)
    key = load_key(create=False)
    check = check_signature(document, key)
    if not check.intact:
        why = "TAMPERED: the signature does not match the content" if check.same_key else \
            "signed with another key; give it by SALESDRILL_CERT_KEY or SALESDRILL_CERT_KEY_FILE"
        raise CertificateError(path, f"{why}; no report written")
    c = document["certificate"]
    lang = c.get("lang", "en")
    suite = c.get("suite", {})
    title = suite.get("title", {}).get(lang) if isinstance(suite.get("title"), dict) else suite.get("id")
    result = c["result"]
    names = {pid: str(p.get("name", pid)) for pid, p in c.get("principles", {}).items()}
    rows = []
    for d in c["drills"]:
        verdict = '<span class="hit">passed</span>' if d.get("passed") else '<span class="anti">failed</span>'
        rows.append(f'<tr><td class="num">{_e(d.get("position"))}</td><td>{_e(d.get("title"))}<br>'
                    f'<code>{_e(d.get("drill"))}</code></td><td class="num">{_e(d.get("score"))}</td>'
                    f'<td class="num">{_e(d.get("pass_mark"))}</td><td>{_e(d.get("outcome"))}'
                    f'{" (" + _e(d.get("end")) + ")" if d.get("end") else ""}</td><td class="num">{_e(d.get("turns"))}'
                    f'</td><td class="num">{_e(d.get("late_turns", 0))}</td><td>{verdict}</td></tr>')
    played = {d.get("drill") for d in c["drills"]}
    for i, d in enumerate(suite.get("drills", []), 1):
        if d.get("drill") not in played:
            rows.append(f'<tr><td class="num">{i}</td><td><code>{_e(d.get("drill"))}</code></td><td class="num">0</td>'
                        f'<td class="num">{_e(d.get("pass_mark"))}</td><td>not reached</td><td class="num">0</td>'
                        '<td class="num">0</td><td><span class="anti">failed</span></td></tr>')
    drill_bars = [Bar(str(d.get("title") or d.get("drill")), int(d.get("score", 0)) / 100, str(d.get("score")),
                      "good" if d.get("passed") else "bad") for d in c["drills"]]
    good, anti = _principle_bars(c.get("principles", {}))
    pass_mark = result.get("pass_mark")
    drill_marks = {d.get("pass_mark") for d in c["drills"]}
    drill_mark = drill_marks.pop() if len(drill_marks) == 1 else None
    charts = bar_chart(drill_bars, "Score per drill", marker=drill_mark / 100 if isinstance(drill_mark, int) else None,
                       marker_text=f"drill pass mark {drill_mark}")
    if good:
        charts += bar_chart(good, "Principles: replies that showed them, of those expected to")
    if anti:
        charts += bar_chart(anti, "Anti-patterns shown")
    versions = c.get("versions", {})
    drills_versions = "".join(f"<li><code>{_e(k)}</code> <code>{_e(v)}</code></li>"
                              for k, v in sorted(versions.get("drills", {}).items()))
    transcripts = "".join(f'<h3>{_e(d.get("position"))}. {_e(d.get("title"))}</h3>\n{_transcript(d, names, catalog, lang)}'
                          for d in c["drills"])
    body = f"""<h1>{_e(c["trainee"])} · {_e(title)}</h1>
<p>{_verdict(bool(result.get("passed")), c["status"])} <span class="score">score {_e(result.get("score"))}</span>
(pass mark {_e(pass_mark)}; {_e(result.get("drills_passed"))} of {_e(result.get("drills_total"))} drills passed)</p>
<p class="meta"><span>attempt {_e(c.get("attempt"))}</span><span>{_e(c.get("status"))}</span>
<span>started {_e(c.get("started"))}</span><span>finished {_e(c.get("finished"))}</span>
<span>language {_e(lang)}</span><span>seed {_e(c.get("seed"))}</span></p>
<p class="meta">Signature verified (HMAC-SHA256, key {_e(key.id)}) · certificate <code>{_e(c.get("id"))}</code></p>
<h2>Drills</h2>
<table><thead><tr><th>#</th><th>Drill</th><th>Score</th><th>Pass mark</th><th>Outcome</th><th>Replies</th>
<th>Late</th><th>Result</th></tr></thead><tbody>
{"".join(rows)}
</tbody></table>
<h2>Charts</h2>
{charts}
<h2>Transcript</h2>
{transcripts}
<h2>Graded with</h2>
<ul><li>salesdrill <code>{_e(versions.get("salesdrill"))}</code></li><li>scorer <code>{_e(versions.get("scorer"))}</code></li>
<li>principle library <code>{_e(versions.get("library"))}</code></li><li>drill files (SHA-256):<ul>{drills_versions}</ul></li>
<li>suite <code>{_e(suite.get("id"))}</code> <code>{_e(suite.get("digest"))}</code></li></ul>"""
    return page(f"{c['trainee']} · {title}", body, lang)


def _title(header: dict[str, Any], lang: str) -> str:
    title = header.get("title")
    return str(title.get(lang) or header.get("drill")) if isinstance(title, dict) else str(header.get("drill"))


def trainee_report(store: Store, catalog: Catalog, trainee: str, lang: str) -> str:
    stats = trainee_stats(store, trainee)
    if not stats.attempts:
        raise UnknownIdError("trainee", trainee, store.trainees())
    attempt_rows = []
    bars = []
    for a in stats.attempts:
        state = "interrupted" if a.interrupted else a.status
        verdict = _verdict(bool(a.passed), a.status)
        attempt_rows.append(f'<tr><td class="num">{a.number}</td><td>{_e(a.suite)}</td><td>{_e(a.started)}</td>'
                            f'<td>{_e(state)}</td><td class="num">{_e(a.score)}</td><td>{verdict}</td>'
                            f'<td><code>{_e(a.certificate)}</code></td></tr>')
        bars.append(Bar(f"#{a.number}", (a.score or 0) / 100, "-" if a.score is None else str(a.score),
                        "good" if a.passed else "none" if a.interrupted else "bad"))
    marks = {a.suite_info.get("pass_mark") for a in stats.attempts}
    mark = marks.pop() if len(marks) == 1 else None
    chart = column_chart(bars, "Score per attempt", marker=(mark / 100) if isinstance(mark, int) else None,
                         marker_text=str(mark or ""))
    name = {pid: catalog.library[pid].name.get(lang) for pid in catalog.library.ids}
    weak = [Bar(name.get(w.principle, w.principle), w.rate, f"{w.missed}/{w.expected} missed ({w.rate:.0%})",
                "bad" if w.rate >= 0.5 else "warn") for w in stats.weak[:10]]
    weak_chart = bar_chart(weak, "Principles missed most") if weak else "<p>No principle missed so far.</p>"
    latest = stats.attempts[-1]
    drill_rows = "".join(
        f'<tr><td class="num">{d.position}</td><td>{_e(_title(d.header, lang))}<br><code>{_e(d.drill)}</code></td><td class="num">{_e(d.score)}</td>'
        f'<td class="num">{d.pass_mark}</td><td>{_e(d.outcome or "unfinished")}</td>'
        f'<td>{"passed" if d.passed else "failed"}</td></tr>' for d in store.drills(latest.id))
    body = f"""<h1>{_e(trainee)}</h1>
<p><span class="score">{len(stats.attempts)} attempt(s), {stats.passed} passed</span>
(pass rate {stats.pass_rate:.0%}; best score {_e(stats.best)})</p>
<h2>Attempts</h2>
<table><thead><tr><th>#</th><th>Suite</th><th>Started</th><th>Status</th><th>Score</th><th>Result</th>
<th>Certificate</th></tr></thead><tbody>{"".join(attempt_rows)}</tbody></table>
<h2>Charts</h2>
{chart}
{weak_chart}
<h2>Latest attempt, drill by drill</h2>
<table><thead><tr><th>#</th><th>Drill</th><th>Score</th><th>Pass mark</th><th>Outcome</th><th>Result</th></tr></thead>
<tbody>{drill_rows}</tbody></table>"""
    return page(f"{trainee} · salesdrill", body, lang)
