"""The trainer's documentation stays true: its worked example validates and passes, every key and id is covered."""

from __future__ import annotations

import re
from pathlib import Path

from simulator import loader
from simulator.cli import main
from simulator.library_loader import _ADDABLE_KEYS, _CUE_KEYS, _PRINCIPLE_KEYS
from simulator.loader import builtin_sources, load_catalog

DOCS = Path(__file__).parent.parent.parent / "docs"
FORMAT = (DOCS / "scenario-format.md").read_text(encoding="utf-8")
GUIDE = (DOCS / "trainer-guide.md").read_text(encoding="utf-8")


def _example_files() -> dict[str, str]:
    """The YAML blocks of the worked example, by the path in their first line."""
    blocks = re.findall(r"```yaml\n# (my-drills/\S+)\n(.*?)```", FORMAT, flags=re.S)
    return {path: text for path, text in blocks}


def test_the_worked_example_validates_and_its_tests_pass_with_full_coverage(tmp_path, capsys):
    files = _example_files()
    assert set(files) == {"my-drills/personas/it_manager.yaml", "my-drills/principles.yaml",
                          "my-drills/scenarios/email_brushoff.yaml"}
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    folder = str(tmp_path / "my-drills")
    assert main(["validate", folder]) == 0
    assert "warning" not in capsys.readouterr().out
    assert main(["test", folder]) == 0
    out = capsys.readouterr().out
    assert "8 passed, 0 failed" in out and "transitions 14/14" in out


def test_every_key_of_the_format_is_documented():
    keys = set(loader.SCENARIO_KEYS + loader.STATE_KEYS + loader.RULE_KEYS + loader.TEST_KEYS
               + loader.PERSONA_KEYS + loader.PERSONA_LINE_KEYS + _PRINCIPLE_KEYS + _CUE_KEYS + _ADDABLE_KEYS)
    keys |= {f"expect.{key}" for key in loader.TEST_EXPECT_KEYS}
    missing = sorted(key for key in keys if f"`{key}`" not in FORMAT)
    assert not missing, f"not in docs/scenario-format.md: {missing}"


def test_every_id_a_trainer_can_use_is_listed():
    catalog = load_catalog(builtin_sources())
    ids = set(catalog.library.ids) | set(loader.OBJECTIONS) | set(catalog.personas)
    missing = sorted(pid for pid in ids if f"`{pid}`" not in FORMAT)
    assert not missing, f"not in docs/scenario-format.md: {missing}"


def _anchors(markdown: str) -> set[str]:
    out = set()
    for heading in re.findall(r"^#+ (.+)$", markdown, flags=re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        out.add(slug)
    return out


def test_links_between_the_two_pages_point_at_headings():
    pages = {"scenario-format.md": FORMAT, "trainer-guide.md": GUIDE}
    for name, text in pages.items():
        for target, anchor in re.findall(r"\]\(([\w\-.]*)#([\w\-]+)\)", text):
            assert anchor in _anchors(pages[target or name]), f"{name}: #{anchor} in {target or name}"
