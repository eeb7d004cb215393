"""The `salesdrill` command as scripts and users call it: exit codes, one-line errors, JSON shapes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.cli import main

ROOT = Path(__file__).resolve().parents[2]


def run(args, stdin: str = "", env: dict | None = None, timeout: float = 60):
    """The real console entry point in a child process, as a user runs it."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-c", "import sys; from simulator.cli import main; sys.exit(main())", *args],
        input=stdin, capture_output=True, text=True, env=full_env, cwd=ROOT, timeout=timeout,
    )


def test_help_lists_the_commands():
    done = run(["--help"])
    assert done.returncode == 0
    for command in ("practice", "score", "list"):
        assert command in done.stdout


def test_list_shows_the_seed_drills_in_both_languages(capsys):
    assert main(["list", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "gatekeeper" in out and "price_too_high" in out and "unhappy_customer" in out
    assert main(["list", "--lang", "zh"]) == 0
    assert "应对不合作的接待员" in capsys.readouterr().out


def test_practice_with_replies_prints_turns_and_summary(tmp_path, capsys):
    replies = tmp_path / "replies.txt"
    replies.write_text("I wonder if you could help me? Who is in charge of purchasing, "
                       "and could I have his name and direct number?\n\nThank you so much!\n", encoding="utf-8")
    assert main(["practice", "gatekeeper", "--lang", "en", "--replies", str(replies)]) == 0
    out = capsys.readouterr().out
    assert "Session summary" in out and "Timeline" in out and "Transcript" in out


def test_practice_json_lines_end_with_the_summary(tmp_path):
    done = run(["practice", "price_too_high", "--lang", "zh", "--replies", "-", "--json"],
               stdin="您说得对,价格很重要。\n")
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert lines[0]["type"] == "header" and lines[1]["type"] == "turn"
    summary = lines[-1]
    assert summary["type"] == "summary"
    assert summary["outcome"] == "incomplete" and summary["end"] is None
    assert 0 <= summary["score"] <= 100
    transcript = Path(summary["transcript"])
    assert [json.loads(x)["type"] for x in transcript.read_text(encoding="utf-8").splitlines()] == [
        "header", "turn", "summary"]


def test_score_json_has_the_documented_keys():
    done = run(["score", "--drill", "price_too_high", "--json", "我们可以给您打八折", "Price matters, we're not the cheapest"])
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(rows) == 2
    for row in rows:
        assert {"reply", "score", "principles", "anti_patterns", "missed"} <= set(row)
    assert "discount" in rows[0]["anti_patterns"]


def test_score_explains_an_anti_pattern_ruled_out_but_not_its_stray_words():
    done = run(["score", "--drill", "gatekeeper", "--json", "We never offer discounts, but let me show you the value.",
                "only if you sign the extension today."])
    negated, pushy = [json.loads(line) for line in done.stdout.splitlines()]
    assert "negated" in negated["near_misses"]["discount"]
    assert pushy["anti_patterns"] == ["pushy"]
    assert not {"argue", "blame_customer", "rude"} & set(pushy["near_misses"])  # "found 'you' but not ..." is noise


def test_score_explain_names_dates_in_cue_words():
    done = run(["score", "--drill", "gatekeeper", "--explain", "--lang", "en", "only if you sign the extension today."])
    assert "cue words 'sign'~sign, '<date>'~<date>" in done.stdout and "_date_" not in done.stdout


def test_score_explain_details_speak_the_reps_language():
    done = run(["score", "--drill", "price_too_high", "--explain", "--lang", "zh", "我们从不打折", "下周二下午三点我过去拜访您"])
    assert "“打折”前面有否定词,不算" in done.stdout and "关键词" in done.stdout
    assert "not counted" not in done.stdout and "cue words" not in done.stdout


def test_score_reads_stdin_and_skips_blank_lines():
    done = run(["score", "--drill", "gatekeeper", "--json"], stdin="hello\n\n  \nplease help me\n")
    assert len(done.stdout.splitlines()) == 2


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["practice", "gatekeepr", "--replies", "-"], "did you mean 'gatekeeper'"),
        (["score", "--drill", "price_too_high", "--state", "nowhere", "x"], "unknown state 'nowhere'"),
        (["practice", "gatekeeper", "--replies", "/no/such/file"], "cannot read replies file"),
        (["practice"], "error"),
        (["practice", "gatekeeper", "--lang", "fr"], "invalid choice"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, words):
    done = run(args)
    assert done.returncode == 2
    assert words in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr


def test_broken_scenario_folder_reports_file_line_column(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "broken.yaml").write_text("id: broken\nstates: [\n", encoding="utf-8")
    done = run(["list", "--scenarios", str(folder)])
    assert done.returncode == 2
    assert "broken.yaml:3:1: invalid YAML" in done.stderr


def test_unwritable_data_folder_fails_at_start(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    done = run(["practice", "gatekeeper", "--replies", "-"], stdin="hello\n",
               env={"SALESDRILL_DATA_DIR": str(blocker / "data")})
    assert done.returncode == 2
    assert "cannot write to the data folder" in done.stderr
    assert done.stdout == ""  # nothing was played before the check


def test_read_only_data_folder_fails_at_start(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    if os.access(folder, os.W_OK):
        pytest.skip("running as a user that can write anywhere")
    done = run(["practice", "gatekeeper", "--replies", "-"], stdin="hello\n",
               env={"SALESDRILL_DATA_DIR": str(folder)})
    assert done.returncode == 2 and "cannot write to the data folder" in done.stderr


def test_huge_and_hostile_replies_are_handled():
    hostile = "\x1b[2J\x1b[31m价格\x07" + "很贵" * 50_000 + "\n"
    done = run(["practice", "price_too_high", "--lang", "zh", "--replies", "-"], stdin=hostile, timeout=20)
    assert done.returncode == 0, done.stderr
    assert "\x1b[2J" not in done.stdout


def test_trainer_adds_words_to_a_principle_in_yaml(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    reply = "Half the bakeries in town order from us"
    before = json.loads(run(["score", "--drill", "price_too_high", "--json", reply]).stdout)
    (folder / "principles.yaml").write_text(
        "principles:\n  social_proof:\n    cues:\n      en: [[[half the], [bakeries], [order from us]]]\n",
        encoding="utf-8")
    after = json.loads(run(["score", "--drill", "price_too_high", "--json", "--scenarios", str(folder), reply]).stdout)
    assert "social_proof" not in before["principles"]
    assert "social_proof" in after["principles"] and after["score"] > before["score"]
    labelled = tmp_path / "mine.csv"
    labelled.write_text(f"drill,reply,label,principles\nprice_too_high,{reply},partial,social_proof\n",
                        encoding="utf-8")
    done = run(["eval", str(labelled), "--scenarios", str(folder)])
    assert done.returncode == 0, done.stderr
    assert "built-in library" in done.stdout and "(+1.000)" in done.stdout


def test_eval_split_keeps_other_splits_out():
    tune = run(["eval", "--split", "tune"])
    assert tune.returncode == 0, tune.stderr
    assert "== tune · zh" in tune.stdout and "heldout" not in tune.stdout
    missing = run(["eval", "--split", "nope"])
    assert missing.returncode == 2 and "no replies in split 'nope'" in missing.stderr


def test_practice_json_escapes_what_would_break_a_line_or_a_terminal():
    done = run(["practice", "price_too_high", "--lang", "en", "--replies", "-", "--json", "--no-transcript"],
               stdin="price\u2028matters \u009b31m to us\n")
    assert done.returncode == 0, done.stderr
    assert "\u2028" not in done.stdout and "\u009b" not in done.stdout
    turn = [json.loads(line) for line in done.stdout.splitlines()][1]
    assert turn["reply"] == "price\u2028matters \u009b31m to us"
