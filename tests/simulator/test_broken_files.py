"""The broken scenario set: every known defect reported at its line and column, and nothing crashes.

Each file under tests/fixtures/broken/ holds one defect a trainer could make;
tests/fixtures/broken_expected.yaml records where `salesdrill validate` must
report it, a fragment of the message, the exit status (1: a problem found,
2: a file that cannot be read) and any consequence also reported.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from simulator.cli import main

FIXTURES = Path(__file__).parent.parent / "fixtures"
BROKEN = FIXTURES / "broken"
EXPECTED: dict[str, dict] = yaml.safe_load((FIXTURES / "broken_expected.yaml").read_text(encoding="utf-8"))


def _validate(capsys, *paths: Path) -> tuple[int, list[str]]:
    status = main(["validate", *map(str, paths)])
    captured = capsys.readouterr()
    return status, (captured.out + captured.err).splitlines()


def _problems_of(lines: list[str], path: Path) -> list[str]:
    return [line for line in lines if line.startswith(f"{path}:")]


def test_the_set_is_big_enough_and_every_file_is_listed():
    listed = {BROKEN / name for name in EXPECTED}
    on_disk = {p for p in BROKEN.rglob("*") if p.is_file() and p.parent.name != "duplicate_id"}
    on_disk |= {BROKEN / "duplicate_id"}
    assert on_disk == listed
    assert len(EXPECTED) >= 25


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_defect_is_reported_at_its_place(name, capsys):
    expected = EXPECTED[name]
    status, lines = _validate(capsys, BROKEN / name)
    where = BROKEN / expected.get("file", name)
    problems = _problems_of(lines, where)
    prefix = f"{where}:{expected['at']}: "
    assert any(p.startswith(prefix) and expected["message"] in p[len(prefix):] for p in problems), (
        f"expected {prefix}…{expected['message']}…, got:\n" + "\n".join(lines))
    others = [p for p in problems if not p.startswith(prefix)]
    for fragment in expected.get("also", []):
        assert any(fragment in p for p in others), f"also expected '{fragment}' in:\n" + "\n".join(others)
    assert len(others) == len(expected.get("also", [])), "unexpected problems:\n" + "\n".join(others)
    assert status == expected["exit"]
    assert not any("Traceback" in line for line in lines)


def test_the_whole_folder_at_once_reports_every_defect(capsys):
    status, lines = _validate(capsys, BROKEN)
    assert status == 2  # some files cannot be read at all
    for name, expected in EXPECTED.items():
        prefix = f"{BROKEN / expected.get('file', name)}:{expected['at']}: "
        assert any(line.startswith(prefix) and expected["message"] in line for line in lines), prefix


def test_a_huge_file_is_refused_unread(tmp_path, capsys):
    path = tmp_path / "huge.yaml"
    path.write_text("id: huge\nbrief: |\n" + "  lol lol lol lol lol lol lol lol lol lol\n" * 60_000, encoding="utf-8")
    status, lines = _validate(capsys, path)
    assert status == 2
    assert any(line.startswith(f"{path}:1:1: ") and "larger than 2 MB" in line for line in lines), lines


def test_the_installed_command_never_shows_a_traceback():
    """One end-to-end run of the console entry point, on the nastiest files."""
    names = ["unsafe_alias_bomb.yaml", "unsafe_deep_nesting.yaml", "file_binary_garbage.yaml"]
    run = subprocess.run([sys.executable, "-m", "simulator.cli", "validate", *(str(BROKEN / n) for n in names)],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    for name in names:
        assert f"{BROKEN / name}:{EXPECTED[name]['at']}: " in run.stdout + run.stderr
