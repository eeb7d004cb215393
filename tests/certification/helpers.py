"""Run exams over the tiny fixture catalog with a fake clock and timer: fast, and the same every time."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from simulator.certification.exam_scripted import ScriptedExamIO
from simulator.certification.keys import SigningKey
from simulator.certification.runner import ExamResult, run_exam
from simulator.certification.store import Store
from simulator.certification.suite import Suite, load_suite
from simulator.loader import Catalog
from simulator.yamlfile import load_yaml

from ..simulator.helpers import mini_catalog

KEY = SigningKey(b"0123456789abcdef0123456789abcdef", "test")
GOOD = ["Great, we work with many companies like yours.", "Can I visit Tuesday at 3pm?"]

SUITE = """\
id: mini_suite
title: {zh: 小考试, en: Mini exam}
pass_mark: 70
seed: 7
drills:
  - {drill: mini, pass_mark: 60}
"""


def mini_suite(text: str = SUITE, catalog: Catalog | None = None) -> tuple[Suite, Catalog]:
    catalog = catalog or mini_catalog()
    suite, _warnings = load_suite(load_yaml(text, "suite.yaml"), catalog)
    return suite, catalog


class FakeClock:
    """Wall clock and monotonic timer that advance `step` seconds each time they are read."""

    def __init__(self, step: float = 1.0) -> None:
        self.now = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
        self.seconds = 0.0
        self.step = step

    def clock(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now

    def timer(self) -> float:
        self.seconds += self.step
        return self.seconds


def exam(replies, db: str, tmp_path, suite_text: str = SUITE, trainee: str = "Ann", step: float = 1.0,
         name: str | None = "cert.json", key: SigningKey = KEY, transcripts: bool = False,
         lang: str = "en") -> tuple[ExamResult, str]:
    """One exam over the mini drill; `name=None` lets the certificate go to the data folder."""
    suite, catalog = mini_suite(suite_text)
    out = io.StringIO()
    fake = FakeClock(step)
    with Store.open(db) as store:
        result = run_exam(catalog, suite, trainee, lang, store, ScriptedExamIO(replies, out, lang), key,
                          clock=fake.clock, timer=fake.timer,
                          certificate_path=str(tmp_path / name) if name else None, write_transcripts=transcripts)
    return result, out.getvalue()
