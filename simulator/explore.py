"""`salesdrill explore`: play a drill many times with random replies and report what never happens.

Replies are drawn from the principle library's exemplars (good moves, mostly
those the current state expects), its anti-pattern exemplars, and noise. Each
finding names the run's seed and the replies that show it, so a trainer can
replay it with `salesdrill practice DRILL --seed S --replies FILE`.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field

from simulator.loader import Catalog
from simulator.scenario import SUCCESS, Scenario
from simulator.session import Session

__all__ = ["Exploration", "Finding", "explore"]

NOISE = {
    "zh": ["嗯。", "这个嘛……", "我们公司很好。", "您吃饭了吗?", "喂?听得到吗?", "好的好的。"],
    "en": ["Hmm.", "Well...", "Our company is great.", "How's the weather?", "Hello? Can you hear me?", "Okay okay."],
}


@dataclass(frozen=True)
class Finding:
    kind: str  # end_never_reached | stuck_state | endless | pass_mark_unmet
    message: str
    seed: int | None = None
    replies: tuple[str, ...] = ()


@dataclass
class Exploration:
    drill: str
    runs: int
    ends: dict[str, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


def _pool(catalog: Catalog, lang: str) -> tuple[dict[str, list[str]], list[str]]:
    by_principle: dict[str, list[str]] = defaultdict(list)
    anti: list[str] = []
    for principle in catalog.library:
        texts = [ex.text for ex in principle.exemplars if ex.lang == lang]
        if principle.is_anti_pattern:
            anti.extend(texts)
        else:
            by_principle[principle.id].extend(texts)
    return by_principle, anti


def _reply(rng: random.Random, scenario: Scenario, state_id: str, by_principle, anti, lang: str) -> str:
    state = scenario.states[state_id]
    wanted = [pid for item in state.expect for pid in ((item,) if isinstance(item, str) else item)]
    roll = rng.random()
    if roll < 0.5 and wanted:
        # a good move: one to all of the expected principles, joined as one reply
        chosen = [rng.choice(by_principle[pid]) for pid in wanted if by_principle.get(pid) and rng.random() < 0.8]
        if chosen:
            return ("" if lang == "zh" else " ").join(chosen)
    if roll < 0.7:
        everything = [text for texts in by_principle.values() for text in texts]
        return rng.choice(everything)
    if roll < 0.9 and anti:
        return rng.choice(anti)
    return rng.choice(NOISE[lang])


def explore(catalog: Catalog, scenario: Scenario, lang: str, runs: int, seed: int, max_turns: int = 15) -> Exploration:
    by_principle, anti = _pool(catalog, lang)
    result = Exploration(scenario.id, runs)
    entered: dict[str, int] = defaultdict(int)
    left: dict[str, int] = defaultdict(int)
    best: dict[str, int] = defaultdict(int)
    ends: dict[str, int] = defaultdict(int)
    endless: list[Finding] = []
    for run in range(runs):
        run_seed = seed * 100_003 + run
        rng = random.Random(run_seed)
        session = Session(scenario, catalog.persona_of(scenario), catalog.matcher, lang, run_seed)
        replies: list[str] = []
        entered[scenario.start] += 1
        while not session.finished and len(replies) < max_turns:
            reply = _reply(rng, scenario, session.state.id, by_principle, anti, lang)
            replies.append(reply)
            turn = session.respond(reply)
            best[turn.state] = max(best[turn.state], turn.score)
            if turn.move.after != turn.move.before:
                left[turn.move.before] += 1
                entered[turn.move.after] += 1
        if session.finished:
            ends[session.state.id] += 1
        elif len(endless) < 3:
            endless.append(Finding("endless", f"run {run} went {max_turns} turns without reaching an end "
                                   f"(stuck around '{session.state.id}')", run_seed, tuple(replies)))
    result.ends = dict(ends)
    for state in scenario.states.values():
        if state.is_end and state.id not in ends:
            kind = "success end" if state.end == SUCCESS else "failure end"
            result.findings.append(Finding("end_never_reached",
                                           f"{kind} '{state.id}' was never reached in {runs} runs"))
        elif not state.is_end and entered[state.id] and not left[state.id]:
            result.findings.append(Finding("stuck_state",
                                           f"state '{state.id}' was entered {entered[state.id]} times and never left"))
        if not state.is_end and entered[state.id] and best[state.id] < scenario.pass_mark:
            result.findings.append(Finding(
                "pass_mark_unmet",
                f"no reply scored the pass mark {scenario.pass_mark} in '{state.id}' (best {best[state.id]})"))
    result.findings.extend(endless)
    return result
