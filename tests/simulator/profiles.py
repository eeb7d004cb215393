"""Hypothesis profiles: short in CI, far longer on demand with `HYPOTHESIS_PROFILE=long`.

Each property test asks for its `examples(share)` of the profile's budget, so
an expensive test (a whole conversation per example) takes fewer than a cheap
one (one string through the normaliser), and `long` scales them all.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

__all__ = ["examples"]

_COMMON = {
    "deadline": None,  # no timing in tests: a slow CI machine is not a failure (the benchmark measures time)
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
    "print_blob": True,  # a failure prints a blob that replays it with @reproduce_failure
}
settings.register_profile("ci", max_examples=100, **_COMMON)
settings.register_profile("long", max_examples=10_000, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def examples(share: float) -> settings:
    """Settings for a test that runs `share` of the active profile's examples (at least 5)."""
    return settings(max_examples=max(5, int(settings.default.max_examples * share)))
