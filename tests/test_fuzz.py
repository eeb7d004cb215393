"""Property tests: no input makes the normaliser, the matcher, a session or the YAML loader fail but with our own errors.

Replies are random Unicode, hostile text (escape and control sequences, bidi
and zero-width marks, words the matcher knows) and huge strings. YAML is
random text, real files with random edits, alias bombs and Python tags.
CI runs a short budget; `HYPOTHESIS_PROFILE=long pytest tests/test_fuzz.py`
runs a hundred times more examples (see tests/simulator/profiles.py).
"""

from __future__ import annotations

import json
import os
import re
import tempfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.normalise import MAX_REPLY_CHARS, normalise
from scoring.rubric import score_match
from simulator import yamlfile
from simulator.drivers import SessionFactory, display_reply
from simulator.errors import DataFileError
from simulator.loader import SourceFile, builtin_sources, load_catalog
from simulator.scripted import run_scripted
from simulator.session import Session
from simulator.transcript import dumps_record
from simulator.yamlfile import load_yaml, read_yaml

from .simulator.helpers import fixture_text
from .simulator.profiles import examples

# -- replies ---------------------------------------------------------------------------------------------

_CATALOG = load_catalog(builtin_sources())  # strategies are built at import, before fixtures exist
_WORDS = sorted({w for p in _CATALOG.library for ex in p.exemplars for w in re.split(r"[\s,。,!?]+", ex.text) if w})
_MOMENTS = sorted((sid, state) for sid, sc in _CATALOG.scenarios.items() for state in sc.states
                  if not sc.states[state].is_end)

ANY_UNICODE = st.text(st.characters(codec="utf-8"), max_size=300)
ESCAPE = st.one_of(
    st.builds(lambda params, final: f"\x1b[{params}{final}", st.text("0123456789;?", max_size=8),
              st.sampled_from("ABCDHJKmhlsu~")),  # CSI: colours, cursor moves, clear screen
    st.builds(lambda body, end: f"\x1b]{body}{end}", st.text(max_size=20), st.sampled_from(["\x07", "\x1b\\", ""])),
    st.sampled_from(["\x1b", "\x1bc", "\x1b[200~", "\x1b[201~", "\x9b31m", "\r\n", "\r"]),
    st.characters(max_codepoint=0x1F), st.characters(min_codepoint=0x7F, max_codepoint=0x9F),
    st.sampled_from("\u200b\u200d\u200e\u202e\u2028\u2029\u2066\ufeff\ufffd"),
)
HOSTILE = st.lists(st.one_of(ANY_UNICODE, ESCAPE, st.sampled_from(_WORDS)), max_size=12).map("".join)
HUGE = st.builds(lambda piece, times: (piece * times)[:400_000], HOSTILE.filter(bool), st.integers(1, 20_000))
# Long runs of blanks (the fuzzer's first find: the date patterns once took minutes on 4,000 of them).
BLANKS = st.builds(lambda blank, times: blank * times, st.sampled_from([" ", "\t", "\u3000", "\u200b", "\x1b", "\x7f",
                                                                     "\x1b[m", "\r\n"]), st.integers(100, 5_000))
REPLY = st.one_of(ANY_UNICODE, HOSTILE, HUGE, BLANKS)

TERMINAL_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # ESC included


@examples(1.0)
@given(REPLY)
def test_normalise_is_total_and_leaves_no_control_character(text):
    once = normalise(text)
    assert isinstance(once.text, str)
    assert not TERMINAL_CONTROL.search(once.text)
    assert normalise(text) == once


@examples(1.0)
@given(REPLY, st.sampled_from(_MOMENTS))
def test_matcher_and_rubric_never_raise_and_stay_in_bounds(text, moment):
    drill, state_id = moment
    state = _CATALOG.scenarios[drill].states[state_id]
    result = score_match(_CATALOG.matcher.match(text), state.expect, _CATALOG.library)
    assert 0 <= result.score <= 100
    assert set(result.found) | set(result.anti_patterns) <= set(_CATALOG.library.ids)


@examples(0.5)
@given(st.lists(REPLY, min_size=1, max_size=4), st.sampled_from(sorted(_CATALOG.scenarios)), st.sampled_from(["zh", "en"]))
def test_any_reply_is_recorded_as_one_json_line_and_echoed_harmlessly(replies, drill, lang):
    lines: list[str] = []
    scenario = _CATALOG.drill(drill)
    session = Session(scenario, _CATALOG.persona_of(scenario), _CATALOG.matcher, lang,
                      sinks=[lambda r: lines.append(dumps_record(r))])
    played = []
    for reply in replies:
        if session.finished or not reply.strip():
            continue
        session.respond(reply)
        played.append(reply)
    session.close()
    for line in lines:
        assert len(line.splitlines()) == 1 and not TERMINAL_CONTROL.search(line)
        assert not set(line) & set("\u2028\u2029\u202e\u200b")
    assert [json.loads(line)["reply"] for line in lines if '"type": "turn"' in line] == played
    for reply in played:
        shown = display_reply(reply)
        assert not TERMINAL_CONTROL.search(shown.replace("\t", " ")) and len(shown) < 500


def test_a_megabyte_reply_scores_as_its_first_part_and_is_kept_whole(tmp_path):
    good = "Price matters to us all, and many companies like yours found the total cost lower with us. "
    reply = (good * (1_000_000 // len(good) + 1))[:1_000_000]
    scenario = _CATALOG.drill("price_too_high")
    expect = scenario.states[scenario.start].expect
    whole = score_match(_CATALOG.matcher.match(reply), expect, _CATALOG.library)
    head = score_match(_CATALOG.matcher.match(reply[:MAX_REPLY_CHARS]), expect, _CATALOG.library)
    assert (whole.score, whole.found, whole.anti_patterns) == (head.score, head.found, head.anti_patterns)
    assert whole.score > 0 and "social_proof" in whole.found  # the words at its start were understood

    out = _StringOut()
    factory = SessionFactory(_CATALOG, "price_too_high", "en", seed=0)
    summary = run_scripted(factory, [reply, "/quit"], out, as_json=False)
    assert summary.turns[0].score == whole.score
    assert "… (+" in out.text and len(out.text) < 20_000  # echoed cut short, not a megabyte on the screen
    with open(factory.transcript_path, encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle]
    assert records[1]["reply"] == reply


class _StringOut:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass


# -- YAML ------------------------------------------------------------------------------------------------

YAML_TOKENS = st.sampled_from([
    ": ", "- ", "[", "]", "{", "}", ",", "&a ", "*a", "<<: *a", "? ", "#", "|", ">", "'", '"', "\t", "\n", "\n  ",
    "\n    - ", "%YAML 1.1\n", "---\n", "...\n", "!!python/object/apply:os.system ['x'] ", "!!str ", "!custom ",
    "~", "null", "yes", "on", "0x1F", "1e400", ".nan", "\x00", "\ufeff", "\x85", "\u2028", "é", "价格",
])
YAML_TEXT = st.one_of(st.text(max_size=300), st.lists(st.one_of(YAML_TOKENS, st.text(max_size=6)), max_size=40).map("".join))


@examples(1.0)
@given(YAML_TEXT)
def test_yaml_loader_raises_only_located_errors(text):
    try:
        load_yaml(text, "fuzz.yaml")
    except DataFileError as exc:
        assert exc.path == "fuzz.yaml" and "\n" not in exc.one_line()


@st.composite
def _edited(draw, text: str) -> str:
    """`text` with a few random edits: cuts, insertions of YAML syntax, repeated or dropped lines."""
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["cut", "insert", "insert", "repeat_line", "truncate"]))
        if kind == "cut":
            text = text[:at] + text[at + draw(st.integers(1, 40)):]
        elif kind == "insert":
            text = text[:at] + draw(st.one_of(YAML_TOKENS, st.text(max_size=10))) + text[at:]
        elif kind == "repeat_line":
            lines = text.split("\n")
            i = draw(st.integers(0, len(lines) - 1))
            lines.insert(i, lines[i])
            text = "\n".join(lines)
        else:
            text = text[:at]
    return text


_MINI = {"persona": fixture_text("mini_persona.yaml"), "scenario": fixture_text("mini_scenario.yaml"),
         "library": fixture_text("mini_library.yaml")}


@examples(0.5)
@given(st.sampled_from(sorted(_MINI)).flatmap(lambda kind: st.tuples(st.just(kind), _edited(_MINI[kind]))))
def test_edited_data_files_are_reported_problems_not_crashes(edit):
    kind, text = edit
    texts = {**_MINI, kind: text}
    sources = [SourceFile("personas/buyer.yaml", "persona", texts["persona"]),
               SourceFile("scenarios/mini.yaml", "scenario", texts["scenario"])]
    try:
        catalog = load_catalog(sources, ("mini_library.yaml", texts["library"]))
    except DataFileError as exc:  # the library is one file: a broken one stops the load, in one line
        assert exc.path == "mini_library.yaml" and "\n" not in exc.one_line()
        return
    for problem in catalog.problems:
        assert isinstance(problem, DataFileError) and "\n" not in problem.one_line()
        assert problem.path in ("personas/buyer.yaml", "scenarios/mini.yaml", "mini_library.yaml")
    if not catalog.problems and "mini" in catalog.scenarios:
        catalog.drill("mini")  # whatever loads cleanly can be played


@examples(0.3)
@given(st.binary(max_size=400))
def test_any_bytes_on_disk_are_read_or_refused_in_one_line(data):
    handle, path = tempfile.mkstemp(suffix=".yaml")
    try:
        os.write(handle, data)
        os.close(handle)
        try:
            read_yaml(path)
        except DataFileError as exc:
            assert exc.path == path and "\n" not in exc.one_line()
    finally:
        os.remove(path)


@st.composite
def _bomb(draw) -> str:
    """A "billion laughs": each level an anchored list of `width` aliases to the level below."""
    width = draw(st.integers(2, 9))
    depth = 1
    while width ** depth <= 2 * _BOMB_LIMIT:
        depth += 1
    flow = draw(st.booleans())
    lines = [f"l0: &l0 [{', '.join(['lol'] * width)}]"]
    for level in range(1, depth + 1):
        refs = [f"*l{level - 1}"] * width
        lines.append(f"l{level}: &l{level} [{', '.join(refs)}]" if flow
                     else f"l{level}: &l{level}\n" + "".join(f"  - {r}\n" for r in refs).rstrip("\n"))
    body = "\n".join(lines) + "\n"
    if draw(st.booleans()):  # hidden inside a scenario-looking file
        body = "id: bomb\npersona: buyer\nstates:\n  x:\n" + "".join(f"    {line}\n" for line in body.splitlines())
    return body


_BOMB_LIMIT = 5_000  # the loader's node limit, lowered so each example is cheap; the real one is tested in test_yamlfile


@examples(0.1)
@given(_bomb())
def test_yaml_bombs_are_refused(bomb):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(yamlfile, "MAX_NODES", _BOMB_LIMIT)
        with pytest.raises(DataFileError, match="alias bomb"):
            load_yaml(bomb, "bomb.yaml")


PYTHON_TAGS = [
    "!!python/object/apply:os.system ['echo pwned']", "!!python/object/new:os.system ['echo pwned']",
    "!!python/object:collections.OrderedDict {}", "!!python/name:os.system", "!!python/module:os",
    "!!python/tuple [1, 2]", "!!python/str x", "!!python/bytes eA==", "!!python/complex 1+2j",
    "!python/object/apply:os.system ['echo pwned']", "!<tag:yaml.org,2002:python/object/apply:os.system> ['x']",
]


@examples(0.3)
@given(st.sampled_from(PYTHON_TAGS), st.sampled_from(["a: TAG\n", "- TAG\n", "TAG\n", "a:\n  b: [1, TAG ]\n",
                                                      "a: &x TAG\nb: *x\n", "a: {k: TAG }\n", "- - - TAG\n"]))
def test_python_object_tags_are_refused_with_a_clear_message(tag, place):
    text = place.replace("TAG", tag)
    with pytest.raises(DataFileError, match="refused tag") as caught:
        load_yaml(text, "evil.yaml")
    assert caught.value.line is not None and "python" in caught.value.one_line()
