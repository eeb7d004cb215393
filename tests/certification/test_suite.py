"""Suites: the built-in one covers every installed drill; a suite of one's own fails early and precisely."""

from __future__ import annotations

import pytest

from simulator.certification.suite import builtin_suite_names, load_suite, resolve_suite
from simulator.errors import DataFileError, UnknownIdError
from simulator.yamlfile import load_yaml

from ..simulator.helpers import mini_catalog


def test_the_default_suite_runs_every_built_in_drill_in_curriculum_order(catalog):
    assert "default" in builtin_suite_names()
    suite, warnings = load_suite(resolve_suite("default"), catalog)
    assert [d.drill for d in suite.drills] == [sc.id for sc in catalog.ordered()]
    assert len(suite.drills) == 9 and not suite.skipped and not warnings
    assert suite.seed and 0 < suite.pass_mark <= 100 and suite.time_limit


def load(text: str):
    return load_suite(load_yaml(text, "my_suite.yaml"), mini_catalog())


def test_a_suite_naming_a_missing_drill_fails_at_its_line():
    with pytest.raises(DataFileError) as caught:
        load("id: s\ndrills:\n  - mini\n  - minii\n")
    message = caught.value.one_line()
    assert message.startswith("my_suite.yaml:4:5: unknown drill 'minii'")
    assert "did you mean 'mini'" in message


def test_missing_drills_can_be_skipped():
    suite, warnings = load("id: s\nmissing_drills: skip\ndrills: [mini, later_drill]\n")
    assert [d.drill for d in suite.drills] == ["mini"] and suite.skipped == ("later_drill",)
    assert warnings == ["suite 's': drill 'later_drill' is not installed; skipped"]


@pytest.mark.parametrize("text, message", [
    ("id: s\ndrills: []\n", "non-empty list"),
    ("id: s\ndrill: [mini]\n", "did you mean 'drills'"),
    ("id: s\ndrills: [mini, mini]\n", "listed twice"),
    ("id: s\npass_mark: 120\ndrills: [mini]\n", "between 0 and 100"),
    ("id: s\nmissing_drills: skip\ndrills: [gone]\n", "none of the suite's drills is installed"),
])
def test_suite_mistakes(text, message):
    with pytest.raises(DataFileError, match=message):
        load(text)


def test_a_drill_pass_mark_defaults_to_the_suite_then_the_drill():
    suite, _ = load("id: s\ndrills: [mini]\n")
    assert suite.drills[0].pass_mark == mini_catalog().scenarios["mini"].pass_mark
    suite, _ = load("id: s\ndefault_pass_mark: 75\ndrills: [mini]\n")
    assert suite.drills[0].pass_mark == 75


def test_an_unknown_suite_name_suggests_one():
    with pytest.raises(UnknownIdError, match="did you mean 'default'"):
        resolve_suite("defualt")
