"""Determinism: replaying a transcript (its drill, language, seed and replies) gives back every line and score.

A session is played with random replies (the library's exemplars, several run
together, mangled, and noise), its records go through the transcript's JSON
form, and a fresh session fed only what the transcript holds must produce the
same records: every persona line, score, principle, state and tip. The last
test replays in another process with another hash seed, where any dependence
on set or dict order would show.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.explore import NOISE
from simulator.loader import Catalog, builtin_sources, load_catalog
from simulator.session import Session
from simulator.transcript import dumps_record

from .profiles import examples
from .terminal import ROOT

LANGS = ("zh", "en")
_CATALOG = load_catalog(builtin_sources())  # strategies are built at import, before fixtures exist
DRILLS = tuple(sorted(_CATALOG.scenarios))


def _clock() -> datetime:
    return datetime(2026, 1, 1, tzinfo=UTC)


def _pool(lang: str) -> list[str]:
    return sorted({ex.text for p in _CATALOG.library for ex in p.exemplars if ex.lang == lang})


def _replies(lang: str) -> st.SearchStrategy[list[str]]:
    exemplar = st.sampled_from(_pool(lang))
    glue = "" if lang == "zh" else " "
    reply = st.one_of(
        exemplar,
        st.lists(exemplar, min_size=2, max_size=3).map(glue.join),  # several moves in one reply
        st.tuples(exemplar, st.text(max_size=8), st.integers(0, 200)).map(  # an exemplar with junk typed into it
            lambda t: t[0][: t[2] % (len(t[0]) + 1)] + t[1] + t[0][t[2] % (len(t[0]) + 1):]),
        st.sampled_from(NOISE[lang]),
        st.text(min_size=1, max_size=40),  # anything at all
    )
    return st.lists(reply, min_size=1, max_size=12)


def play(catalog: Catalog, drill: str, lang: str, seed: int, replies: list[str]) -> list[dict[str, Any]]:
    """A session's records, as they come back from a transcript file."""
    records: list[dict[str, Any]] = []
    scenario = catalog.drill(drill)
    session = Session(scenario, catalog.persona_of(scenario), catalog.matcher, lang, seed, clock=_clock,
                      sinks=[lambda r: records.append(json.loads(dumps_record(r)))])
    for reply in replies:
        if session.finished:
            break
        if reply.strip():
            session.respond(reply)
    session.close()
    return records


def replay(catalog: Catalog, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Play a transcript again from what it holds: drill, language and seed in its header, replies in its turns."""
    header = records[0]
    replies = [r["reply"] for r in records if r["type"] == "turn"]
    return play(catalog, header["drill"], header["lang"], header["seed"], replies)


def test_every_built_in_drill_is_covered():
    assert len(DRILLS) == 9


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("drill", DRILLS)
def test_replaying_a_transcript_reproduces_every_line_and_score(drill, lang):
    @examples(0.1)
    @given(seed=st.integers(0, 2**31 - 1), replies=_replies(lang))
    def check(seed: int, replies: list[str]) -> None:
        recorded = play(_CATALOG, drill, lang, seed, replies)
        assert replay(_CATALOG, recorded) == recorded

    check()


def test_a_replay_in_another_process_with_another_hash_seed_is_identical(tmp_path):
    rng = random.Random(7)
    played = []
    for drill in DRILLS:
        for lang in LANGS:
            pool = _pool(lang)
            replies = [rng.choice(pool) if rng.random() < 0.8 else rng.choice(NOISE[lang]) for _ in range(8)]
            played.append(play(_CATALOG, drill, lang, rng.randrange(1000), replies))
    path = tmp_path / "played.json"
    path.write_text(json.dumps(played, ensure_ascii=False), encoding="utf-8")
    script = (
        "import json, sys\n"
        "from simulator.loader import builtin_sources, load_catalog\n"
        "from tests.simulator.test_replay import replay\n"
        "catalog = load_catalog(builtin_sources())\n"
        "played = json.load(open(sys.argv[1], encoding='utf-8'))\n"
        "print(json.dumps([replay(catalog, records) for records in played], ensure_ascii=False))\n"
    )
    hash_seed = "1" if os.environ.get("PYTHONHASHSEED") != "1" else "2"
    done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONHASHSEED": hash_seed}, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == played
