#!/usr/bin/env python3
"""salesdrill benchmark: per-reply latency, batch throughput, cold start, memory, library scaling.

Run from the repository root:

    python bench/run.py            # full run, about 2-3 minutes on 2 cores
    python bench/run.py --quick    # smoke run, about 20 s
    python bench/run.py --json FILE

Everything is measured in one run on this machine, each figure beside its
baseline. The scoring code is imported from this source tree (the folder above
bench/), in this process and in every child process. See bench/README.md for
what each figure means. Not part of the pytest suite: timings are not tests.
"""

from __future__ import annotations

import argparse
import difflib
import gc
import glob
import json
import math
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402
from rapidfuzz import fuzz, process  # noqa: E402

import scoring.matcher as matcher_module  # noqa: E402
from scoring.matcher import Matcher  # noqa: E402
from simulator.library_loader import library_from_docs, load_builtin_library_text  # noqa: E402
from simulator.loader import Catalog, builtin_sources, load_catalog  # noqa: E402
from simulator.session import Session  # noqa: E402
from simulator.yamlfile import MAX_NODES, load_yaml  # noqa: E402

DRILL = "price_too_high"  # the drill of the batch, cold-start and memory figures
BORROWED_TERMS = 0.05  # share of synthetic cue terms copied from the real library (the rest are invented)
CJK = re.compile(r"[\u3400-\u9fff]")
PY_BASE = "import sys; from simulator.cli import main; sys.exit(main())"

TARGETS = {
    "latency_vs_baseline": 3.0,  # median per reply <= 3x baseline (a)
    "latency_ms": 2.0,  # median per reply < 2 ms
    "batch_rate": 2000.0,  # replies/s, end to end, >=
    "help_ms": 150.0,  # salesdrill --help wall time, <
    "drill_ms": 400.0,  # 5-turn scripted drill wall time, <
    "rss_mb": 80.0,  # peak RSS of the 5-turn drill, <
}


@dataclass(frozen=True)
class Plan:
    """How much to measure: the full run or the --quick smoke run."""

    quick: bool
    latency_passes: int  # passes over every (drill, reply), each with a fresh Matcher
    latency_stride: int  # take every n-th corpus reply
    difflib_replies: int
    batch_n: int
    batch_runs: int
    cold_runs: int
    mem_runs: int
    scales: tuple[int, ...]
    scale_replies: int
    scale_seconds: float  # time box per scale for the replay


FULL = Plan(False, 2, 1, 200, 5000, 3, 10, 3, (1, 10, 100), 300, 20.0)
QUICK = Plan(True, 1, 3, 40, 500, 1, 3, 1, (1, 10), 40, 3.0)


# -- small helpers ------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def ms(ns_values: Sequence[int]) -> dict[str, float]:
    return {
        "median_ms": statistics.median(ns_values) / 1e6,
        "p99_ms": percentile(ns_values, 99) / 1e6,
        "n": len(ns_values),
    }


def progress(message: str) -> None:
    print(f"  .. {message}", file=sys.stderr, flush=True)


def machine_info() -> dict[str, Any]:
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if line.lower().startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        usable = os.cpu_count() or 1
    try:
        import rapidfuzz

        rf_version = rapidfuzz.__version__
    except Exception:  # pragma: no cover
        rf_version = "?"
    commit = ""
    try:  # read-only: resolves HEAD, touches nothing
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "os": f"{platform.system()} {platform.release()} {platform.machine()}",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "executable": sys.executable,
        "rapidfuzz": rf_version,
        "pyyaml_libyaml": bool(getattr(yaml, "__with_libyaml__", False)),
        "commit": commit,
        "loadavg_start": _loadavg(),
    }


def _loadavg() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except (AttributeError, OSError):
        return None


# -- inputs -------------------------------------------------------------------------


@dataclass(frozen=True)
class Inputs:
    catalog: Catalog
    corpus: list[tuple[str, str]]  # (lang, reply) from scoring/corpus/*.jsonl
    scripted: list[tuple[str, str]]  # (lang, reply) from the drills' model answers and tests

    @property
    def pool(self) -> list[tuple[str, str]]:
        return self.corpus + self.scripted


def load_inputs() -> Inputs:
    catalog = load_catalog(builtin_sources())
    if catalog.problems:
        raise SystemExit(f"bench: the built-in catalog has problems: {catalog.problems[0]}")
    corpus: list[tuple[str, str]] = []
    for path in sorted(glob.glob(str(ROOT / "scoring" / "corpus" / "*.jsonl"))):
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    row = json.loads(line)
                    reply = str(row.get("reply", ""))
                    if reply.strip():
                        lang = row.get("lang") or ("zh" if CJK.search(reply) else "en")
                        corpus.append((lang, reply))
    scripted: list[tuple[str, str]] = []
    for scenario in catalog.ordered():
        for lang, answers in scenario.model_answer.items():
            scripted.extend((lang, a) for a in answers if a.strip())
        for test in scenario.tests:
            scripted.extend((test.lang, r) for r in test.replies if r.strip() and not r.startswith("/"))
    scripted = list(dict.fromkeys(scripted))
    if not corpus:
        raise SystemExit("bench: no labelled replies found in scoring/corpus/*.jsonl")
    return Inputs(catalog, corpus, scripted)


def exemplar_texts(library) -> list[str]:
    """Every exemplar of every principle, all languages, as written."""
    return [ex.text for principle in library for ex in principle.exemplars]


def clear_matcher_caches() -> None:
    """Forget the module-level near-word cache so each pass sees replies for the first time."""
    clear = getattr(getattr(matcher_module, "_near_words", None), "cache_clear", None)
    if clear is not None:
        clear()


# -- 1. per-reply latency -----------------------------------------------------------


def replay(catalog: Catalog, matcher: Matcher, items: Iterable[tuple[str, str, str]],
           budget_s: float | None = None, min_samples: int = 20,
           fired: list[int] | None = None, baseline: tuple[Sequence[str], list[int]] | None = None,
           ) -> dict[str, list[int]]:
    """Time Session.respond for each (drill, lang, reply); a finished call is restarted untimed.

    Returns nanoseconds per reply, by language. With `baseline` (exemplars, out),
    baseline (a) is timed on the same reply right after, so both see the same
    machine conditions.
    """
    sessions: dict[tuple[str, str], Session] = {}
    out: dict[str, list[int]] = {}
    started = time.perf_counter()
    count = 0
    clock = time.perf_counter_ns
    for drill, lang, reply in items:
        key = (drill, lang)
        session = sessions.get(key)
        if session is None or session.finished:
            scenario = catalog.drill(drill)
            session = sessions[key] = Session(scenario, catalog.persona_of(scenario), matcher, lang)
        t0 = clock()
        turn = session.respond(reply)
        out.setdefault(lang, []).append(clock() - t0)
        if baseline is not None:
            exemplars, base_out = baseline
            t0 = clock()
            process.extractOne(reply, exemplars, scorer=fuzz.ratio)
            base_out.append(clock() - t0)
        if fired is not None:  # principles (and anti-patterns) shown by the reply
            fired.append(sum(1 for ev in turn.result.match.evidence.values() if ev.hit))
        count += 1
        if budget_s is not None and count >= min_samples and time.perf_counter() - started > budget_s:
            break
    return out


def baseline_difflib(replies: Sequence[str], exemplars: Sequence[str]) -> list[int]:
    out = []
    clock = time.perf_counter_ns
    for reply in replies:
        t0 = clock()
        max(difflib.SequenceMatcher(None, reply, ex).ratio() for ex in exemplars)
        out.append(clock() - t0)
    return out


def latency_items(inputs: Inputs, stride: int) -> list[tuple[str, str, str]]:
    """Every built-in drill, each fed the corpus (every `stride`-th reply) and the scripted replies."""
    replies = inputs.corpus[::stride] + inputs.scripted
    return [(sc.id, lang, reply) for sc in inputs.catalog.ordered() for lang, reply in replies]


def bench_latency(inputs: Inputs, plan: Plan) -> dict[str, Any]:
    catalog = inputs.catalog
    items = latency_items(inputs, plan.latency_stride)
    exemplars = exemplar_texts(catalog.library)
    by_lang: dict[str, list[int]] = {}
    base_a: list[int] = []
    for p in range(plan.latency_passes):
        progress(f"latency: pass {p + 1}/{plan.latency_passes}, {len(items)} replies through Session.respond "
                 "and baseline (a)")
        clear_matcher_caches()
        matcher = Matcher(catalog.library)  # fresh caches
        for lang, values in replay(catalog, matcher, items, baseline=(exemplars, base_a)).items():
            by_lang.setdefault(lang, []).extend(values)
    real = [v for values in by_lang.values() for v in values]
    unique = list(dict.fromkeys(reply for _d, _l, reply in items))
    progress(f"latency: difflib baseline over {len(exemplars)} exemplars")
    step = max(1, len(unique) // plan.difflib_replies)
    base_b = baseline_difflib(unique[::step][: plan.difflib_replies], exemplars)
    result: dict[str, Any] = {
        "real": ms(real),
        "real_by_lang": {lang: ms(v) for lang, v in sorted(by_lang.items())},
        "baseline_a_rapidfuzz": ms(base_a),
        "baseline_b_difflib": ms(base_b),
        "drills": [sc.id for sc in catalog.ordered()],
        "exemplars": len(exemplars),
    }
    result["ratio_to_a"] = result["real"]["median_ms"] / result["baseline_a_rapidfuzz"]["median_ms"]
    result["ratio_to_b"] = result["real"]["median_ms"] / result["baseline_b_difflib"]["median_ms"]
    return result


# -- subprocess plumbing ------------------------------------------------------------


@dataclass
class Cli:
    argv: list[str]
    how: str
    env: dict[str, str] = field(default_factory=dict)
    pin: list[str] = field(default_factory=list)

    def cmd(self, *args: str, pinned: bool = False) -> list[str]:
        return (self.pin if pinned else []) + self.argv + list(args)


def make_cli(data_dir: str) -> Cli:
    script = Path(sys.executable).with_name("salesdrill")
    if script.is_file() and os.access(script, os.X_OK):
        argv, how = [str(script)], f"console script {script}"
    else:
        argv, how = [sys.executable, "-c", PY_BASE], "python -c 'from simulator.cli import main; ...'"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    env["SALESDRILL_DATA_DIR"] = data_dir  # nothing lands in the user's data folder
    # An installed package runs from compiled bytecode; a shell that forbids writing it would make
    # every run compile the sources again (~100 ms), which no user of an installed salesdrill pays.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("SALESDRILL_SCENARIOS", None)  # built-in drills only
    pin: list[str] = []
    taskset = shutil.which("taskset")
    if taskset and subprocess.run([taskset, "-c", "0", "true"], capture_output=True).returncode == 0:
        pin = [taskset, "-c", "0"]
    return Cli(argv, how, env, pin)


def timed_run(cmd: list[str], env: dict[str, str], stdin: bytes | None = None) -> tuple[float, bytes]:
    t0 = time.perf_counter()
    done = subprocess.run(cmd, input=stdin, capture_output=True, env=env, cwd=ROOT)
    elapsed = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"bench: {' '.join(cmd)} exited {done.returncode}:\n{done.stderr.decode(errors='replace')}")
    return elapsed, done.stdout


# -- 2. batch throughput ------------------------------------------------------------


def bench_batch(inputs: Inputs, cli: Cli, plan: Plan) -> dict[str, Any]:
    corpus = [reply.replace("\n", " ") for _lang, reply in inputs.corpus]
    lines = [corpus[i % len(corpus)] for i in range(plan.batch_n)]
    big = ("\n".join(lines) + "\n").encode("utf-8")
    one = (lines[0] + "\n").encode("utf-8")
    cmd = cli.cmd("score", "--drill", DRILL, "--json", pinned=True)
    timed_run(cmd, cli.env, one)  # warm the page cache
    full, single = [], []
    for r in range(plan.batch_runs):
        progress(f"batch: run {r + 1}/{plan.batch_runs}, {plan.batch_n} replies on stdin")
        elapsed, out = timed_run(cmd, cli.env, big)
        got = out.count(b"\n")
        if got != plan.batch_n:
            raise SystemExit(f"bench: salesdrill score printed {got} records for {plan.batch_n} replies")
        full.append(elapsed)
        single.append(timed_run(cmd, cli.env, one)[0])
    t_n, t_1 = statistics.median(full), statistics.median(single)
    return {
        "replies": plan.batch_n,
        "runs": plan.batch_runs,
        "pinned": " ".join(cli.pin) or "no (taskset unavailable)",
        "seconds_n": t_n,
        "seconds_1": t_1,
        "rate_end_to_end": plan.batch_n / t_n,
        "rate_net_of_startup": (plan.batch_n - 1) / (t_n - t_1) if t_n > t_1 else float("inf"),
        "command": " ".join(cmd[len(cli.pin):] if cli.pin else cmd),
    }


# -- 3. cold start, 4. memory --------------------------------------------------------


class _MemoMatcher:
    """A matcher that remembers its answers: only for choosing the 5-reply script quickly."""

    def __init__(self, matcher: Matcher) -> None:
        self._matcher = matcher
        self.library = matcher.library
        self._seen: dict[str, Any] = {}

    def match(self, reply):
        if reply not in self._seen:
            self._seen[reply] = self._matcher.match(reply)
        return self._seen[reply]


def five_turn_script(inputs: Inputs, drill: str, turns: int = 5) -> tuple[str, list[str], str | None]:
    """Replies (from the corpus) that keep the drill going for `turns` turns, ending it on the last if possible."""
    catalog = inputs.catalog
    scenario = catalog.drill(drill)
    persona = catalog.persona_of(scenario)
    by_lang: dict[str, list[str]] = {}
    for lang, reply in inputs.pool:
        by_lang.setdefault(lang, []).append(reply.replace("\n", " "))
    lang = "zh" if "zh" in by_lang else sorted(by_lang)[0]
    candidates = list(dict.fromkeys(by_lang[lang]))
    random.Random(5).shuffle(candidates)
    memo = _MemoMatcher(catalog.matcher)

    def play(replies: list[str]) -> Session:
        session = Session(scenario, persona, memo, lang)  # type: ignore[arg-type]
        for reply in replies:
            session.respond(reply)
        return session

    # Replies that leave the call where it was (same state, no patience lost, no weak answer
    # counted) can be played any number of times; one that ends the call from there closes it.
    holders: list[tuple[int, str]] = []
    enders: list[tuple[bool, int, str]] = []
    for reply in candidates:
        session = play([reply])
        turn = session.turns[-1]
        if session.finished:
            enders.append((session.state.end == "success", turn.score, reply))
        elif (turn.move.after == scenario.start and session.patience == persona.patience
              and not sum(session.machine.weak.values())):
            holders.append((turn.score, reply))
    holders.sort(reverse=True)
    enders.sort(reverse=True)
    chosen = [reply for _score, reply in holders[: turns - 1]] + [reply for *_k, reply in enders[:1]]
    if len(chosen) < turns:  # no such replies: greedily stay as far from an end as possible
        chosen = []
        for turn_index in range(turns):
            best: tuple[Any, str] | None = None
            for reply in candidates[:150]:
                session = play(chosen + [reply])
                if session.finished and turn_index < turns - 1:
                    continue
                key = (session.finished, session.patience, -sum(session.machine.weak.values()),
                       session.turns[-1].score)
                if best is None or key > best[0]:
                    best = (key, reply)
            if best is None:
                break
            chosen.append(best[1])
    final = play(chosen)
    return lang, chosen, final.state.id if final.finished else None


# Spawned by a small launcher, not by this (large) process: a child's max RSS starts from the RSS
# of the process that spawned it (Linux carries the spawner's high-water mark across exec), so the
# launcher's own footprint (~9 MB, below a bare interpreter's) is the floor of every figure.
_LAUNCHER = """
import os, resource, sys
pid = os.posix_spawnp(sys.argv[1], sys.argv[1:], os.environ,
                     file_actions=[(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)])
_pid, status = os.waitpid(pid, 0)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def peak_rss_mb(cmd: list[str], env: dict[str, str]) -> float:
    """Peak RSS (MB) of one child process: resource.getrusage(RUSAGE_CHILDREN) in a launcher with that one child."""
    done = subprocess.run([sys.executable, "-I", "-S", "-c", _LAUNCHER] + cmd, capture_output=True, text=True,
                          env=env, cwd=ROOT)
    try:
        maxrss, code = (int(x) for x in done.stdout.split())
    except ValueError:
        raise SystemExit(f"bench: memory launcher failed: {done.stderr.strip()}") from None
    if code != 0:
        raise SystemExit(f"bench: {' '.join(cmd)} exited {code}")
    return maxrss / (1024 * 1024) if sys.platform == "darwin" else maxrss / 1024


def bench_cold_and_memory(inputs: Inputs, cli: Cli, plan: Plan, tmp: str) -> tuple[dict[str, Any], dict[str, Any]]:
    lang, replies, end = five_turn_script(inputs, DRILL)
    replies_file = os.path.join(tmp, "five_replies.txt")
    with open(replies_file, "w", encoding="utf-8") as handle:
        handle.write("\n".join(replies) + "\n")
    env = dict(cli.env, SALESDRILL_LANG=lang)
    commands = {
        "python": [sys.executable, "-c", "pass"],
        "help": cli.cmd("--help"),
        "drill": cli.cmd("practice", DRILL, "--replies", replies_file, "--no-transcript", "--lang", lang),
    }
    # Check the script really plays its turns (and warm the page cache).
    _t, out = timed_run(cli.cmd("practice", DRILL, "--replies", replies_file, "--no-transcript", "--lang", lang,
                                "--json"), env)
    records = [json.loads(line) for line in out.decode("utf-8").splitlines() if line.strip()]
    played = sum(1 for r in records if r.get("type") == "turn")
    for cmd in commands.values():
        timed_run(cmd, env)
    times: dict[str, list[float]] = {k: [] for k in commands}
    for r in range(plan.cold_runs):  # interleaved, so drift hits all three alike
        if r == 0:
            progress(f"cold start: {plan.cold_runs} runs each of python -c pass, --help, 5-turn drill")
        for key, cmd in commands.items():
            times[key].append(timed_run(cmd, env)[0])
    med = {k: statistics.median(v) * 1000 for k, v in times.items()}
    cold = {
        "runs": plan.cold_runs,
        "python_ms": med["python"],
        "help_ms": med["help"],
        "help_over_python_ms": med["help"] - med["python"],
        "drill_ms": med["drill"],
        "drill_over_python_ms": med["drill"] - med["python"],
        "drill_turns": played,
        "drill_end": end,
        "drill_lang": lang,
        "help_command": " ".join(commands["help"]),
        "drill_command": " ".join(commands["drill"]),
    }
    progress(f"memory: {plan.mem_runs} run(s) each, peak RSS via getrusage(RUSAGE_CHILDREN) in a launcher")
    rss: dict[str, list[float]] = {"python": [], "help": [], "drill": []}
    for _ in range(plan.mem_runs):
        for key in rss:
            rss[key].append(peak_rss_mb(commands[key], env))
    memory = {
        "runs": plan.mem_runs,
        "python_mb": max(rss["python"]),
        "help_mb": max(rss["help"]),
        "drill_mb": max(rss["drill"]),
    }
    return cold, memory


# -- 5. scaling the library ----------------------------------------------------------


_ONSETS = ["b", "br", "c", "ch", "cl", "d", "f", "fr", "g", "gr", "h", "j", "k", "l", "m", "n", "p", "pl", "pr",
           "qu", "r", "s", "sh", "sl", "st", "t", "th", "tr", "v", "w", "y", "z"]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "ee", "io", "ou", "y"]
_CODAS = ["", "", "n", "r", "s", "t", "l", "nd", "ng", "st", "ck", "m", "ss"]


def pseudo_word(rng: random.Random, length: int) -> str:
    word = ""
    while len(word) < max(2, length):
        word += rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS)
    return word[: max(2, length)]


@dataclass
class Vocabulary:
    """Real material to make plausible synthetic strings from."""

    zh_chars: list[str]  # with their frequency in real text
    zh_term_chars: list[str]  # each distinct character once
    en_words: list[str]
    zh_terms: list[str]
    en_terms: list[str]
    zh_exemplars: list[str]
    en_exemplars: list[str]


def with_concepts_spelt_out(base: dict[str, Any]) -> dict[str, Any]:
    """The library with every `@name` in a cue group replaced by that concept's words in the cue's
    language, so a synthetic principle copies as many terms as the real one matches."""
    concepts = base.get("concepts") or {}

    def spell(group: Any, lang: str) -> list[str]:
        terms = [group] if isinstance(group, str) else group
        out: list[str] = []
        for term in terms:
            name = str(term)[1:] if str(term).startswith("@") else None
            out.extend(concepts[name][lang] if name in concepts else [term])
        return out

    principles: dict[str, Any] = {}
    for pid, principle in base["principles"].items():
        cues = {}
        for lang, entries in (principle.get("cues") or {}).items():
            cues[lang] = [{**cue, "groups": [spell(g, lang) for g in cue.get("groups", [])]} if isinstance(cue, dict)
                          else [spell(g, lang) for g in cue] for cue in entries or []]
        principles[pid] = {**principle, "cues": cues} if principle.get("cues") else principle
    return {**base, "principles": principles}


def _walk_terms(principle: dict[str, Any]) -> Iterable[tuple[str, str]]:
    for lang, entries in (principle.get("cues") or {}).items():
        for entry in entries or []:
            groups = entry.get("groups", []) if isinstance(entry, dict) else entry
            for group in groups or []:
                for term in [group] if isinstance(group, str) else group:
                    yield lang, str(term)


def vocabulary_of(base: dict[str, Any], inputs: Inputs) -> Vocabulary:
    zh_terms: list[str] = []
    en_terms: list[str] = []
    zh_ex: list[str] = []
    en_ex: list[str] = []
    for principle in base["principles"].values():
        for _lang, term in _walk_terms(principle):
            (zh_terms if CJK.search(term) else en_terms).append(term)
        for lang, texts in (principle.get("exemplars") or {}).items():
            (zh_ex if lang == "zh" else en_ex).extend(texts or [])
    text = " ".join(zh_terms + zh_ex + [r for _l, r in inputs.pool])
    zh_chars = [ch for ch in text if CJK.match(ch)]
    en_words = [w for w in re.findall(r"[a-z]{3,}", " ".join(en_terms + en_ex + [r for _l, r in inputs.pool]).lower())]
    return Vocabulary(zh_chars, sorted(set(zh_chars)), en_words or ["value"], zh_terms, en_terms, zh_ex, en_ex)


def synthetic_term(term: str, rng: random.Random, vocab: Vocabulary) -> str:
    """`_synthetic_term`, drawn again while it happens to read as a bare date or time (which the loader refuses)."""
    from scoring.normalise import DATE, TIME, normalise

    while True:
        made = _synthetic_term(term, rng, vocab)
        if made in (DATE, TIME) or normalise(made).flat not in (DATE, TIME):
            return made


def _synthetic_term(term: str, rng: random.Random, vocab: Vocabulary) -> str:
    """A new term shaped like `term`: invented Chinese of real characters, or invented English words.

    A few (BORROWED_TERMS) are copied from the real library, so synthetic cues
    sometimes fire on real replies; the rest rarely do, as another topic's
    terms would not.
    """
    chinese = bool(CJK.search(term))
    if rng.random() < BORROWED_TERMS or not term.strip("*"):
        pool = vocab.zh_terms if chinese else vocab.en_terms
        return rng.choice(pool) if pool else term
    if term in ("_date_", "_time_"):
        return pseudo_word(rng, 6)
    if chinese:
        made = "".join(rng.choice(vocab.zh_term_chars) if CJK.match(ch) else ch for ch in term)
        return made if len(made) >= 2 else made + rng.choice(vocab.zh_term_chars)
    prefix = term.endswith("*")
    words = term.rstrip("*").split() or ["x"]
    if len(words) == 1:
        made = pseudo_word(rng, max(4, len(words[0])))
    else:  # a phrase: some real words, at least one invented
        made = " ".join([pseudo_word(rng, max(4, len(words[0])))] + [
            pseudo_word(rng, len(w)) if rng.random() < 0.5 else rng.choice(vocab.en_words) for w in words[1:]])
    return made + ("*" if prefix else "")


def synthetic_exemplar(text: str, rng: random.Random, vocab: Vocabulary) -> str:
    if CJK.search(text):
        return "".join(rng.choice(vocab.zh_chars) if CJK.match(ch) and rng.random() < 0.5 else ch for ch in text)
    words = text.split()
    out = []
    for w in words:
        if rng.random() < 0.5:
            out.append(pseudo_word(rng, len(w)) if rng.random() < 0.5 else rng.choice(vocab.en_words))
        else:
            out.append(w)
    return " ".join(out)


def synthetic_principle(index: int, template: dict[str, Any], rng: random.Random, vocab: Vocabulary) -> dict[str, Any]:
    """A principle shaped like `template` (same cues, groups, terms and exemplars per language), new strings."""
    cues: dict[str, list[Any]] = {}
    for lang, entries in (template.get("cues") or {}).items():
        made: list[Any] = []
        for cue in entries or []:
            groups = cue.get("groups", []) if isinstance(cue, dict) else cue
            new_groups = [[synthetic_term(str(t), rng, vocab) for t in ([g] if isinstance(g, str) else g)]
                          for g in groups]
            if isinstance(cue, dict):
                made.append({**cue, "groups": new_groups})
            else:
                made.append(new_groups)
        cues[lang] = made
    exemplars = {lang: [synthetic_exemplar(t, rng, vocab) for t in texts or []]
                 for lang, texts in (template.get("exemplars") or {}).items()}
    entry: dict[str, Any] = {
        "kind": "principle",
        "name": {"zh": f"合成原则{index}", "en": f"Synthetic principle {index}"},
        "tip": {"zh": f"合成提示{index}", "en": f"Synthetic tip {index}"},
    }
    if any(cues.values()):
        entry["cues"] = cues
    if any(exemplars.values()):
        entry["exemplars"] = exemplars
    return entry


def _nodes(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + sum(_nodes(v) for v in value.values())
    if isinstance(value, list):
        return 1 + sum(_nodes(v) for v in value)
    return 1


def scaled_library(base: dict[str, Any], scale: int, vocab: Vocabulary) -> tuple[Any, dict[str, Any]]:
    """The built-in library plus (scale-1)x its principles, synthetic; dumped to YAML and loaded back.

    Synthetic principles go in extra documents (as a trainer's principles.yaml
    would), each under the loader's node limit.
    """
    rng = random.Random(scale)
    templates = list(base["principles"].values())
    extra: list[tuple[str, dict[str, Any]]] = []
    for i in range((scale - 1) * len(templates)):
        extra.append((f"synthetic_{i:05d}", synthetic_principle(i, templates[i % len(templates)], rng, vocab)))
    chunks: list[dict[str, Any]] = []
    current: dict[str, Any] = {}
    size = 0
    limit = MAX_NODES // 2
    for pid, entry in extra:
        n = _nodes(entry) + 1
        if current and size + n > limit:
            chunks.append(current)
            current, size = {}, 0
        current[pid] = entry
        size += n
    if current:
        chunks.append(current)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    texts = [yaml.dump(base, Dumper=dumper, allow_unicode=True, sort_keys=False)]
    texts += [yaml.dump({"version": 1, "principles": c}, Dumper=dumper, allow_unicode=True, sort_keys=False)
              for c in chunks]
    t1 = time.perf_counter()
    docs = [load_yaml(text, f"<library x{scale}, part {i}>") for i, text in enumerate(texts)]
    library, problems = library_from_docs(docs)
    if problems:
        raise SystemExit(f"bench: the x{scale} library has problems: {problems[0]}")
    t2 = time.perf_counter()
    info = {
        "principles": len(list(library)),
        "exemplars": sum(len(p.exemplars) for p in library),
        "cue_terms": sum(len(g) for p in library for c in p.cues for g in c.groups),
        "yaml_mb": sum(len(t.encode("utf-8")) for t in texts) / 1e6,
        "yaml_docs": len(texts),
        "load_s": t2 - t1,
    }
    return library, info


def bench_scaling(inputs: Inputs, plan: Plan) -> dict[str, Any]:
    catalog = inputs.catalog
    path, text = load_builtin_library_text()
    base = with_concepts_spelt_out(load_yaml(text, path).data)
    vocab = vocabulary_of(base, inputs)
    pool = inputs.corpus + inputs.scripted
    step = max(1, len(pool) // plan.scale_replies)
    sample = pool[::step][: plan.scale_replies]
    drills = [sc.id for sc in catalog.ordered()]
    items = [(drills[i % len(drills)], lang, reply) for i, (lang, reply) in enumerate(sample)]
    out: dict[str, Any] = {"replies": len(items), "scales": {}}
    for scale in plan.scales:
        progress(f"scaling: building the x{scale} library")
        library, info = scaled_library(base, scale, vocab)
        t0 = time.perf_counter()
        clear_matcher_caches()
        matcher = Matcher(library)
        info["matcher_build_s"] = time.perf_counter() - t0
        progress(f"scaling: x{scale}: {info['principles']} principles, {info['exemplars']} exemplars, "
                 f"{info['cue_terms']} cue terms; replaying up to {len(items)} replies")
        fired: list[int] = []
        base_a: list[int] = []
        exemplars = exemplar_texts(library)
        timings = replay(catalog, matcher, items, budget_s=plan.scale_seconds, fired=fired,
                         baseline=(exemplars, base_a))
        info["hits_per_reply"] = statistics.mean(fired)
        real = [v for values in timings.values() for v in values]
        info["real"] = ms(real)
        info["baseline_a_rapidfuzz"] = ms(base_a)
        out["scales"][str(scale)] = info
        del matcher, library
        gc.collect()
    first = out["scales"][str(plan.scales[0])]
    for info in out["scales"].values():
        info["growth_real"] = info["real"]["median_ms"] / first["real"]["median_ms"]
        info["growth_baseline_a"] = info["baseline_a_rapidfuzz"]["median_ms"] / first["baseline_a_rapidfuzz"]["median_ms"]
    return out


# -- report -------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "pass" if ok else "MISS"


def _table(rows: Sequence[Sequence[str]], align: str, indent: str = "") -> list[str]:
    """Rows of cells; a row whose only non-empty cell is the first is a heading, printed as is."""
    cells = [r for r in rows if any(r[1:])]
    widths = [max(len(r[i]) for r in cells) for i in range(len(align))]
    out = []
    for r in rows:
        if not any(r[1:]):
            out.append(r[0])
            continue
        text = "  ".join(c.rjust(widths[i]) if align[i] == ">" else c.ljust(widths[i]) for i, c in enumerate(r))
        out.append((indent + text).rstrip())
    return out


def report(results: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    m = results["machine"]
    lines = [
        f"salesdrill benchmark ({'quick smoke run' if results['quick'] else 'full run'}), {results['when']}"
        + (f", commit {m['commit']}" if m["commit"] else ""),
        f"machine: {m['cpu']}, {m['cores']} cores ({m['usable_cores']} usable), {m['os']}",
        f"python:  {m['python']} ({m['executable']}), rapidfuzz {m['rapidfuzz']}, "
        f"libyaml {'yes' if m['pyyaml_libyaml'] else 'no'}",
        f"cli:     {results.get('cli', '?')}",
        f"load:    {m['loadavg_start']} at start, {results.get('loadavg_end')} at end (1/5/15-min load averages;"
        " other work on the machine inflates every figure)",
    ]
    checks: list[dict[str, Any]] = []
    rows: list[tuple[str, str, str, str, str]] = [("figure", "value", "beside it", "target", "")]

    def section(title: str) -> None:
        rows.append((title, "", "", "", ""))

    def row(name: str, value: str, beside: str = "", target: str = "", ok: bool | None = None) -> None:
        rows.append((name, value, beside, target, "" if ok is None else verdict(ok)))
        if ok is not None:
            checks.append({"figure": name.strip(), "value": value, "target": target, "ok": ok})

    lat = results.get("latency")
    if lat:
        r, a, b = lat["real"], lat["baseline_a_rapidfuzz"], lat["baseline_b_difflib"]
        section(f"1. per-reply latency (Session.respond, {len(lat['drills'])} drills, n={r['n']})")
        row("   real path: median", f"{r['median_ms']:.3f} ms", f"= {lat['ratio_to_a']:.1f}x (a)",
            f"<= {TARGETS['latency_vs_baseline']:g}x (a)", lat["ratio_to_a"] <= TARGETS["latency_vs_baseline"])
        row("   real path: median", f"{r['median_ms']:.3f} ms", "", f"< {TARGETS['latency_ms']:g} ms",
            r["median_ms"] < TARGETS["latency_ms"])
        row("   real path: p99", f"{r['p99_ms']:.3f} ms", f"= {r['p99_ms'] / a['p99_ms']:.1f}x (a) p99")
        for lang, v in lat["real_by_lang"].items():
            row(f"     {lang} replies only (n={v['n']})", f"{v['median_ms']:.3f} ms", f"p99 {v['p99_ms']:.3f} ms")
        row(f"   (a) rapidfuzz extractOne ratio, {lat['exemplars']} ex.", f"{a['median_ms']:.3f} ms",
            f"p99 {a['p99_ms']:.3f} ms")
        row(f"   (b) difflib max ratio, {lat['exemplars']} ex. (n={b['n']})", f"{b['median_ms']:.3f} ms",
            f"p99 {b['p99_ms']:.3f} ms; real = {lat['ratio_to_b']:.2f}x (b)")
    bat = results.get("batch")
    if bat:
        section(f"2. batch: score --drill {DRILL} --json, {bat['replies']} replies on stdin"
                f"{', taskset -c 0' if 'taskset' in bat['pinned'] else ', not pinned'}")
        row("   end to end (incl. start-up)", f"{bat['rate_end_to_end']:,.0f}/s", f"{bat['seconds_n']:.2f} s",
            f">= {TARGETS['batch_rate']:,.0f}/s", bat["rate_end_to_end"] >= TARGETS["batch_rate"])
        row("   start-up subtracted", f"{bat['rate_net_of_startup']:,.0f}/s",
            f"1-reply run {bat['seconds_1'] * 1000:.0f} ms")
    cold = results.get("cold")
    if cold:
        section(f"3. cold start (wall clock, median of {cold['runs']})")
        row("   python -c pass", f"{cold['python_ms']:.0f} ms", "baseline")
        row("   salesdrill --help", f"{cold['help_ms']:.0f} ms", f"+{cold['help_over_python_ms']:.0f} ms",
            f"< {TARGETS['help_ms']:g} ms", cold["help_ms"] < TARGETS["help_ms"])
        row(f"   practice {DRILL}, {cold['drill_turns']} turns", f"{cold['drill_ms']:.0f} ms",
            f"+{cold['drill_over_python_ms']:.0f} ms", f"< {TARGETS['drill_ms']:g} ms",
            cold["drill_ms"] < TARGETS["drill_ms"])
    mem = results.get("memory")
    if mem:
        section("4. peak memory (max RSS of the child process)")
        row("   python -c pass", f"{mem['python_mb']:.1f} MB", "baseline")
        row("   salesdrill --help", f"{mem['help_mb']:.1f} MB", f"+{mem['help_mb'] - mem['python_mb']:.1f} MB")
        row(f"   practice {DRILL}, {cold['drill_turns'] if cold else 5} turns", f"{mem['drill_mb']:.1f} MB",
            f"+{mem['drill_mb'] - mem['python_mb']:.1f} MB", f"< {TARGETS['rss_mb']:g} MB",
            mem["drill_mb"] < TARGETS["rss_mb"])
    lines.append("")
    lines += _table(rows, "<><<<")
    sca = results.get("scaling")
    if sca:
        lines.append("")
        lines.append(f"5. library scaling: per-reply latency, Session.respond (up to {sca['replies']} replies per "
                     "scale) beside baseline (a)")
        table = [("scale", "principles", "exemplars", "cue terms", "hits/reply", "median", "p99", "n", "growth",
                  "(a) median", "(a) growth", "load lib", "Matcher()")]
        for scale, info in sca["scales"].items():
            r, a = info["real"], info["baseline_a_rapidfuzz"]
            table.append((
                f"x{scale}", str(info["principles"]), str(info["exemplars"]), str(info["cue_terms"]),
                f"{info['hits_per_reply']:.1f}",
                f"{r['median_ms']:.2f} ms", f"{r['p99_ms']:.2f} ms", str(r["n"]), f"{info['growth_real']:.1f}x",
                f"{a['median_ms']:.3f} ms", f"{info['growth_baseline_a']:.1f}x",
                f"{info['load_s']:.2f} s", f"{info['matcher_build_s']:.2f} s",
            ))
        lines += _table(table, "<" + ">" * 12, indent="   ")
    missed = [c for c in checks if not c["ok"]]
    lines.append("")
    lines.append(f"targets: {len(checks) - len(missed)}/{len(checks)} met"
                 + ("" if not missed else "; missed: " + "; ".join(
                     f"{c['figure']} {c['value']} (target {c['target']})" for c in missed)))
    return lines, checks


# -- main ---------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/run.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smoke run (~20 s): fewer samples, scales 1x and 10x")
    parser.add_argument("--json", metavar="FILE", help="also write every figure to FILE as JSON")
    parser.add_argument("--only", metavar="LIST", default="latency,batch,cold,scaling",
                        help="comma-separated sections to run: latency, batch, cold (cold start + memory), scaling")
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    wanted = {s.strip() for s in args.only.split(",") if s.strip()}
    unknown = wanted - {"latency", "batch", "cold", "scaling"}
    if unknown:
        parser.error(f"unknown section(s): {', '.join(sorted(unknown))}")
    started = time.perf_counter()
    results: dict[str, Any] = {
        "quick": plan.quick,
        "when": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "machine": machine_info(),
        "targets": TARGETS,
    }
    inputs = load_inputs()
    with tempfile.TemporaryDirectory(prefix="salesdrill-bench-") as tmp:
        cli = make_cli(tmp)
        results["cli"] = cli.how
        if "latency" in wanted:
            results["latency"] = bench_latency(inputs, plan)
        if "batch" in wanted:
            results["batch"] = bench_batch(inputs, cli, plan)
        if "cold" in wanted:
            results["cold"], results["memory"] = bench_cold_and_memory(inputs, cli, plan, tmp)
        if "scaling" in wanted:
            results["scaling"] = bench_scaling(inputs, plan)
    results["bench_seconds"] = time.perf_counter() - started
    results["loadavg_end"] = _loadavg()
    lines, checks = report(results)
    results["checks"] = checks
    lines.append(f"bench took {results['bench_seconds']:.0f} s")
    print("\n".join(lines))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(results, handle, ensure_ascii=False, indent=2)
            handle.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
