"""/restart plays a trainer's saved edit; an edit that no longer validates is shown, not played."""

from __future__ import annotations

import io
from pathlib import Path

from simulator.cli import main
from simulator.drivers import SessionFactory
from simulator.loader import builtin_sources, folder_sources, load_catalog
from simulator.skeleton import skeleton

OPENING = 'en: ["We don\'t need it.", "We\'re not planning anything like that."]'


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "mine"
    (folder / "scenarios").mkdir(parents=True)
    text = skeleton("my_drill", "busy_manager").replace(OPENING, 'en: ["We have no need for it."]')
    (folder / "scenarios" / "my_drill.yaml").write_text(text, encoding="utf-8")
    return folder


def _factory(folder: Path, notices: list[str]) -> SessionFactory:
    def load():
        return load_catalog(builtin_sources() + folder_sources(str(folder)))

    return SessionFactory(load(), "my_drill", "en", seed=0, write_transcript=False,
                          reload=load, notify=notices.append)


def _edit(folder: Path, old: str, new: str) -> Path:
    path = folder / "scenarios" / "my_drill.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_restart_plays_the_saved_edit(tmp_path):
    folder, notices = _folder(tmp_path), []
    factory = _factory(folder, notices)
    assert factory.new().opening == "We have no need for it."
    path = _edit(folder, "We have no need for it.", "Honestly, we are fine as we are.")
    assert factory.new().opening == "Honestly, we are fine as we are."
    assert notices == [f"Reloaded {path}."]
    factory.new()  # nothing changed since: nothing to say
    assert len(notices) == 1


def test_an_invalid_edit_is_shown_and_the_old_version_keeps_playing(tmp_path):
    folder, notices = _folder(tmp_path), []
    factory = _factory(folder, notices)
    factory.new()
    path = _edit(folder, "    expect: [ask_meeting]", "    expect: [ask_meting]")
    session = factory.new()
    assert session.opening == "We have no need for it."
    assert "still playing the version loaded before" in notices[-1]
    assert f"{path}:" in notices[-1] and "did you mean 'ask_meeting'" in notices[-1]
    _edit(folder, "expect: [ask_meting]", "expect: [ask_meeting")  # now not even YAML
    assert factory.new().opening == "We have no need for it."
    assert "invalid YAML" in notices[-1]
    _edit(folder, "expect: [ask_meeting\n", "expect: [ask_meeting]\n")  # fixed: the next restart plays it again
    _edit(folder, "We have no need for it.", "Fixed now.")
    assert factory.new().opening == "Fixed now."


def test_a_drill_that_disappeared_keeps_playing(tmp_path):
    folder, notices = _folder(tmp_path), []
    factory = _factory(folder, notices)
    factory.new()
    _edit(folder, "id: my_drill", "id: my_drill_2")
    assert factory.new().scenario.id == "my_drill"
    assert "unknown drill 'my_drill'" in notices[-1]


def test_without_a_reloader_the_catalog_is_kept(tmp_path):
    folder = _folder(tmp_path)
    catalog = load_catalog(builtin_sources() + folder_sources(str(folder)))
    factory = SessionFactory(catalog, "my_drill", "en", seed=0, write_transcript=False)
    factory.new()
    _edit(folder, "We have no need for it.", "Changed.")
    assert factory.new().opening == "We have no need for it."


class _EditingStdin(io.StringIO):
    """Replies on stdin; the file is edited just before '/restart' is read, as a trainer saving would."""

    def __init__(self, text: str, on_restart) -> None:
        super().__init__(text)
        self.on_restart = on_restart

    def readline(self, *args) -> str:  # type: ignore[override]
        line = super().readline(*args)
        if line.startswith("/restart"):
            self.on_restart()
        return line

    def isatty(self) -> bool:
        return False


def test_practice_restart_reloads_a_scenarios_folder(tmp_path, monkeypatch, capsys):
    folder = _folder(tmp_path)
    stdin = _EditingStdin("Hm, okay.\n/restart\n/quit\n",
                          lambda: _edit(folder, "We have no need for it.", "A brand new opening line."))
    monkeypatch.setattr("sys.stdin", stdin)
    assert main(["practice", "my_drill", "--lang", "en", "--scenarios", str(folder), "--no-transcript"]) == 0
    out = capsys.readouterr().out
    assert out.index("We have no need for it.") < out.index("Reloaded ") < out.index("A brand new opening line.")


def test_restart_plays_new_words_in_the_trainers_principles(tmp_path):
    folder, notices = _folder(tmp_path), []
    (folder / "principles.yaml").write_text(
        "principles:\n  social_proof:\n    exemplars:\n      en: [\"Half the depots here run on our system\"]\n",
        encoding="utf-8")
    factory = _factory(folder, notices)
    reply = "Plenty of freight yards in Ningbo run our software."
    assert "social_proof" not in factory.new().respond(reply).result.hits
    (folder / "principles.yaml").write_text(
        "principles:\n  social_proof:\n    cues:\n      en: [[[plenty of], [freight yards], [run our]]]\n",
        encoding="utf-8")
    assert "social_proof" in factory.new().respond(reply).result.hits
    assert notices == ["Reloaded principles.yaml."]
