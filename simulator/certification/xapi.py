"""Certification results as xAPI 1.0.3 statements, and a checker for the statement format.

Per attempt: one statement per drill that ended (verb passed or failed,
object the drill, the suite as parent activity), then for the suite as a
whole `completed` and `passed`/`failed` when the exam ran to its end, or
`failed` with completion false when it was stopped or killed (it counts as an
attempt). Statement ids are derived from the attempt, so exporting twice
sends the same statements and a learning record store keeps one copy.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Any
from urllib.parse import quote

from simulator.certification.store import AttemptRow, DrillRow

__all__ = ["VERBS", "attempt_statements", "iso_duration", "statement_problems"]

VERBS = {
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "failed": "http://adlnet.gov/expapi/verbs/failed",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
}
ASSESSMENT = "http://adlnet.gov/expapi/activities/assessment"
SIMULATION = "http://adlnet.gov/expapi/activities/simulation"
LANGUAGE_TAGS = {"zh": "zh-CN", "en": "en-US"}


def _time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def iso_duration(start: str | None, end: str | None) -> str | None:
    """ISO 8601 duration between two timestamps, to the second (PT1H2M3S); None if either is unknown."""
    a, b = _time(start), _time(end)
    if a is None or b is None:
        return None
    seconds = max(0, round((b - a).total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    out = "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    return out + (f"{secs}S" if secs or out == "PT" else "")


def _iri(base: str, *parts: str) -> str:
    return "/".join([base.rstrip("/"), *(quote(p, safe="") for p in parts)])


def _names(title: dict[str, str] | str | None, fallback: str) -> dict[str, str]:
    if isinstance(title, dict):
        names = {LANGUAGE_TAGS[k]: v for k, v in title.items() if k in LANGUAGE_TAGS and v}
        if names:
            return names
    return {"en-US": str(title or fallback)}


def _score(score: int) -> dict[str, Any]:
    return {"scaled": round(max(0, min(100, score)) / 100, 4), "raw": score, "min": 0, "max": 100}


def attempt_statements(attempt: AttemptRow, drills: list[DrillRow], titles: dict[str, dict[str, str]],
                       homepage: str) -> list[dict[str, Any]]:
    actor = {"objectType": "Agent", "name": attempt.trainee,
             "account": {"homePage": homepage, "name": attempt.trainee}}
    suite_info = attempt.suite_info
    suite_activity = {"objectType": "Activity", "id": _iri(homepage, "suites", attempt.suite),
                      "definition": {"name": _names(suite_info.get("title"), attempt.suite), "type": ASSESSMENT}}
    extensions = {
        _iri(homepage, "xapi", "attempt"): attempt.number,
        _iri(homepage, "xapi", "seed"): attempt.seed,
        _iri(homepage, "xapi", "versions"): attempt.versions,
    }
    language = LANGUAGE_TAGS.get(attempt.lang, "en-US")

    def statement(key: str, verb: str, obj: dict[str, Any], result: dict[str, Any], timestamp: str | None,
                  parent: bool) -> dict[str, Any]:
        context: dict[str, Any] = {"registration": attempt.id, "platform": "salesdrill", "language": language,
                                   "extensions": extensions}
        if parent:
            context["contextActivities"] = {"parent": [suite_activity]}
        out = {
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{homepage}#{attempt.id}/{key}/{verb}")),
            "actor": actor,
            "verb": {"id": VERBS[verb], "display": {"en-US": verb}},
            "object": obj,
            "result": result,
            "context": context,
        }
        if timestamp:
            out["timestamp"] = timestamp
        return out

    statements = []
    for row in drills:
        if row.finished is None:
            continue  # killed in the middle of this drill: the suite statement says the attempt failed
        obj = {"objectType": "Activity", "id": _iri(homepage, "drills", row.drill),
               "definition": {"name": _names(titles.get(row.drill), row.drill), "type": SIMULATION}}
        result: dict[str, Any] = {"score": _score(row.score or 0), "success": bool(row.passed),
                                  "completion": row.outcome in ("success", "failure")}
        duration = iso_duration(row.started, row.finished)
        if duration:
            result["duration"] = duration
        statements.append(statement(f"drill/{row.position}", "passed" if row.passed else "failed", obj, result,
                                    row.finished, parent=True))
    duration = iso_duration(attempt.started, attempt.finished)
    if attempt.status == "complete":
        done: dict[str, Any] = {"completion": True}
        if duration:
            done["duration"] = duration
        statements.append(statement("suite", "completed", suite_activity, done, attempt.finished, parent=False))
        verdict: dict[str, Any] = {"score": _score(attempt.score or 0), "success": bool(attempt.passed),
                                   "completion": True}
    else:
        verdict = {"success": False, "completion": False}
        if attempt.score is not None:
            verdict["score"] = _score(attempt.score)
    if duration:
        verdict["duration"] = duration
    statements.append(statement("suite", "passed" if attempt.passed else "failed", suite_activity, verdict,
                                attempt.finished or attempt.started, parent=False))
    return statements


# -- the statement format (xAPI 1.0.3, Data part 2.2-2.4), as far as these statements use it ------------------

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
_LANG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_DURATION = re.compile(r"^P(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?"
                       r"(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$")
_STATEMENT_KEYS = {"id", "actor", "verb", "object", "result", "context", "timestamp", "stored", "authority",
                   "version", "attachments"}
_IFIS = ("mbox", "mbox_sha1sum", "openid", "account")


def _language_map(value: Any, where: str, problems: list[str]) -> None:
    if not isinstance(value, dict) or not value:
        problems.append(f"{where} must be a non-empty language map")
        return
    for tag, text in value.items():
        if not _LANG.match(str(tag)) or not isinstance(text, str):
            problems.append(f"{where} has a bad entry {tag!r}")


def _timestamp(value: Any, where: str, problems: list[str]) -> None:
    if not isinstance(value, str) or _time(value.replace("Z", "+00:00")) is None or "T" not in value:
        problems.append(f"{where} must be an ISO 8601 timestamp")


def statement_problems(s: Any) -> list[str]:
    """What makes `s` not a valid xAPI 1.0.3 statement (empty when it is one)."""
    problems: list[str] = []
    if not isinstance(s, dict):
        return ["a statement must be a JSON object"]
    for key in sorted(set(s) - _STATEMENT_KEYS):
        problems.append(f"unknown property '{key}'")
    for key in ("actor", "verb", "object"):
        if key not in s:
            problems.append(f"missing '{key}'")
    if "id" in s and not (isinstance(s["id"], str) and _UUID.match(s["id"])):
        problems.append("id must be a UUID")
    actor = s.get("actor")
    if isinstance(actor, dict):
        if actor.get("objectType", "Agent") != "Agent":
            problems.append("actor.objectType must be Agent here")
        ifis = [k for k in _IFIS if k in actor]
        if len(ifis) != 1:
            problems.append("actor must have exactly one identifier (mbox, mbox_sha1sum, openid or account)")
        account = actor.get("account")
        if account is not None and not (isinstance(account, dict) and set(account) == {"homePage", "name"}
                                        and _IRI.match(str(account["homePage"])) and isinstance(account["name"], str)):
            problems.append("actor.account must have exactly homePage (an IRL) and name")
        if "name" in actor and not isinstance(actor["name"], str):
            problems.append("actor.name must be a string")
    elif "actor" in s:
        problems.append("actor must be an object")
    verb = s.get("verb")
    if isinstance(verb, dict):
        if not _IRI.match(str(verb.get("id", ""))):
            problems.append("verb.id must be an IRI")
        if "display" in verb:
            _language_map(verb["display"], "verb.display", problems)
    elif "verb" in s:
        problems.append("verb must be an object")
    obj = s.get("object")
    if isinstance(obj, dict):
        _activity(obj, "object", problems)
    elif "object" in s:
        problems.append("object must be an object")
    result = s.get("result")
    if result is not None:
        _result(result, problems)
    context = s.get("context")
    if context is not None:
        _context(context, problems)
    if "timestamp" in s:
        _timestamp(s["timestamp"], "timestamp", problems)
    return problems


def _activity(obj: dict[str, Any], where: str, problems: list[str]) -> None:
    if obj.get("objectType", "Activity") != "Activity":
        problems.append(f"{where}.objectType must be Activity here")
    if not _IRI.match(str(obj.get("id", ""))):
        problems.append(f"{where}.id must be an IRI")
    definition = obj.get("definition")
    if definition is not None:
        if not isinstance(definition, dict):
            problems.append(f"{where}.definition must be an object")
            return
        for key in ("name", "description"):
            if key in definition:
                _language_map(definition[key], f"{where}.definition.{key}", problems)
        if "type" in definition and not _IRI.match(str(definition["type"])):
            problems.append(f"{where}.definition.type must be an IRI")


def _result(result: Any, problems: list[str]) -> None:
    if not isinstance(result, dict):
        problems.append("result must be an object")
        return
    for key in sorted(set(result) - {"score", "success", "completion", "response", "duration", "extensions"}):
        problems.append(f"unknown result property '{key}'")
    score = result.get("score")
    if score is not None:
        if not isinstance(score, dict) or set(score) - {"scaled", "raw", "min", "max"}:
            problems.append("result.score may hold only scaled, raw, min and max")
        else:
            scaled = score.get("scaled")
            if scaled is not None and (isinstance(scaled, bool) or not isinstance(scaled, (int, float))
                                       or not -1 <= scaled <= 1):
                problems.append("result.score.scaled must be a number from -1 to 1")
            low, high, raw = score.get("min"), score.get("max"), score.get("raw")
            if low is not None and high is not None and not low < high:
                problems.append("result.score.min must be less than max")
            if raw is not None and ((low is not None and raw < low) or (high is not None and raw > high)):
                problems.append("result.score.raw must lie between min and max")
    for key in ("success", "completion"):
        if key in result and not isinstance(result[key], bool):
            problems.append(f"result.{key} must be true or false")
    if "duration" in result and not (isinstance(result["duration"], str) and _DURATION.match(result["duration"])):
        problems.append("result.duration must be an ISO 8601 duration")


def _context(context: Any, problems: list[str]) -> None:
    if not isinstance(context, dict):
        problems.append("context must be an object")
        return
    allowed = {"registration", "instructor", "team", "contextActivities", "revision", "platform", "language",
               "statement", "extensions"}
    for key in sorted(set(context) - allowed):
        problems.append(f"unknown context property '{key}'")
    if "registration" in context and not _UUID.match(str(context["registration"])):
        problems.append("context.registration must be a UUID")
    if "language" in context and not _LANG.match(str(context["language"])):
        problems.append("context.language must be an RFC 5646 language tag")
    activities = context.get("contextActivities", {})
    if not isinstance(activities, dict):
        problems.append("context.contextActivities must be an object")
    else:
        for kind, items in activities.items():
            if kind not in ("parent", "grouping", "category", "other"):
                problems.append(f"unknown context activity kind '{kind}'")
            for item in items if isinstance(items, list) else [items]:
                if isinstance(item, dict):
                    _activity(item, f"context.contextActivities.{kind}", problems)
                else:
                    problems.append(f"context.contextActivities.{kind} must hold activities")
    extensions = context.get("extensions", {})
    if not isinstance(extensions, dict) or not all(_IRI.match(str(k)) for k in extensions):
        problems.append("context.extensions keys must be IRIs")
