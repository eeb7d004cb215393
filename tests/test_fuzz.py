"""Property tests: no input makes the normaliser, the matcher or the YAML loader raise anything but our own errors."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.normalise import normalise
from scoring.rubric import score_match
from simulator.errors import DataFileError
from simulator.yamlfile import load_yaml

TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=400) | st.text(
    alphabet="太好了价格很多公司周二下午三点 ,.!?:/\x1b[0m\t\n0123456789abcdefghij", max_size=400)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FAST
@given(TEXT)
def test_normalise_is_total_and_idempotent_on_its_output(text):
    once = normalise(text)
    assert isinstance(once.text, str)
    assert "\x1b" not in once.text


@FAST
@given(TEXT)
def test_matcher_and_rubric_never_raise(catalog, text):
    scenario = catalog.drill("price_too_high")
    state = scenario.states[scenario.start]
    result = score_match(catalog.matcher.match(text), state.expect, catalog.library)
    assert 0 <= result.score <= 100


@FAST
@given(st.text(max_size=300))
def test_yaml_loader_raises_only_located_errors(text):
    try:
        load_yaml(text, "fuzz.yaml")
    except DataFileError as exc:
        assert exc.path == "fuzz.yaml"


def test_a_megabyte_reply_is_scored_within_a_second(catalog):
    reply = ("价格太高了,我们不打折 " * 60_000)[:1_000_000]
    scenario = catalog.drill("price_too_high")
    start = time.perf_counter()
    score_match(catalog.matcher.match(reply), scenario.states[scenario.start].expect, catalog.library)
    assert time.perf_counter() - start < 1.0
