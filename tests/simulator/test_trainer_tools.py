"""validate, test, graph and new, as a trainer runs them."""

from __future__ import annotations

from simulator.cli import main
from simulator.graph import to_dot, to_mermaid
from simulator.skeleton import skeleton

from .helpers import mini_catalog


def test_new_writes_a_skeleton_that_validates_and_passes_its_tests(tmp_path, capsys):
    folder = tmp_path / "mine"
    assert main(["new", "my_drill", "--persona", "busy_manager", "--scenarios", str(folder)]) == 0
    path = folder / "scenarios" / "my_drill.yaml"
    assert path.exists()
    capsys.readouterr()
    assert main(["validate", str(path)]) == 0
    assert "warning" not in capsys.readouterr().out
    assert main(["test", str(path)]) == 0
    out = capsys.readouterr().out
    assert "8 passed, 0 failed" in out
    assert "coverage my_drill: states 7/7, transitions 10/10" in out  # every state and transition tested
    assert main(["new", "my_drill", "--persona", "busy_manager", "--scenarios", str(folder)]) == 2


def test_validate_reports_every_problem_and_exits_1(tmp_path, capsys):
    path = tmp_path / "broken.yaml"
    text = skeleton("broken", "busy_manager").replace("go: curious", "go: curios").replace(
        "    expect: [ask_meeting]", "    expect: [ask_meting]")
    path.write_text(text, encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert any("did you mean 'curious'" in line and line.startswith(f"{path}:") for line in out)
    assert any("did you mean 'ask_meeting'" in line for line in out)


def test_validate_unreadable_file_exits_2(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("id: caf\xe9\n".encode("latin-1"))
    assert main(["validate", str(path)]) == 2


def test_failing_conversation_test_prints_the_conversation_as_yaml(tmp_path, capsys):
    path = tmp_path / "drill.yaml"
    path.write_text(skeleton("drill", "busy_manager").replace(
        "expect: {states: [curious, meeting_booked], outcome: success, min_score: 80}",
        "expect: {states: [meeting_booked], outcome: success}", 1), encoding="utf-8")
    assert main(["test", str(path)]) == 1
    out = capsys.readouterr().out
    assert "FAIL drill: the success path (zh)" in out
    assert "after reply 1: expected state 'meeting_booked', got 'curious'" in out
    assert "  expect: {states: [curious, meeting_booked], end: meeting_booked" in out  # the paste-back YAML


def test_graph_mermaid_and_dot():
    scenario = mini_catalog().drill("mini")
    mermaid = to_mermaid(scenario)
    assert mermaid.startswith("stateDiagram-v2")
    assert "s_objection --> s_listening: acknowledge + social_proof" in mermaid
    assert "class s_booked success" in mermaid
    dot = to_dot(scenario)
    assert '"objection" -> "haggling" [label="discount"];' in dot
    assert 'fillcolor="#f9c6c6"' in dot


def test_graph_command_writes_a_file(tmp_path, capsys):
    out = tmp_path / "g.dot"
    assert main(["graph", "gatekeeper", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith('digraph "gatekeeper"')


def test_shadowed_rule_is_an_error_and_overlap_a_warning(tmp_path, capsys):
    text = skeleton("shadow", "busy_manager").replace(
        """      - when: [acknowledge, social_proof]
        go: curious
      - otherwise: objection""",
        """      - when: [acknowledge]
        go: curious
      - when: [acknowledge, social_proof]
        go: meeting_booked
      - when: [social_proof]
        go: annoyed
      - otherwise: objection""")
    path = tmp_path / "shadow.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "rule 3 of 'objection' (to 'meeting_booked') can never fire" in out
    assert "warning: a reply showing acknowledge, social_proof satisfies rule 2 (to 'curious') and rule 4" in out


def test_explore_finds_an_end_no_reply_reaches():
    from simulator.explore import explore

    catalog = mini_catalog()
    result = explore(catalog, catalog.drill("mini"), "en", runs=60, seed=1)
    assert sum(result.ends.values()) > 0
    kinds = {(f.kind, f.message.split("'")[1]) for f in result.findings if f.kind == "end_never_reached"}
    assert all(name in ("booked", "brushed_off", "hung_up") for _kind, name in kinds)
    again = explore(catalog, catalog.drill("mini"), "en", runs=60, seed=1)
    assert again.ends == result.ends and again.findings == result.findings  # seeded: reproducible


def test_options_before_the_command_are_kept(tmp_path, capsys):
    """`salesdrill --scenarios DIR --lang en graph ID`: the command's own defaults must not reset them."""
    folder = tmp_path / "mine"
    assert main(["--scenarios", str(folder), "new", "mine", "--persona", "busy_manager"]) == 0
    capsys.readouterr()
    assert main(["--scenarios", str(folder), "--lang", "en", "list", "--json"]) == 0
    listed = capsys.readouterr().out
    assert '"id": "mine"' in listed and '"title": "New drill: mine"' in listed
    assert main(["--scenarios", str(folder), "graph", "mine"]) == 0


def test_a_file_named_twice_is_not_a_duplicate_but_two_files_with_one_id_are(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "mine"
    assert main(["new", "mine", "--persona", "busy_manager", "--scenarios", str(folder)]) == 0
    path = folder / "scenarios" / "mine.yaml"
    monkeypatch.setenv("SALESDRILL_SCENARIOS", str(folder))
    capsys.readouterr()
    assert main(["validate", str(path)]) == 0  # in the folder and on the command line: one file
    copy = folder / "scenarios" / "mine_copy.yaml"
    copy.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["validate", str(folder)]) == 1
    out = capsys.readouterr().out
    assert f"{copy}:5:5: drill id 'mine' is also defined in {path}:5" in out


def test_a_trainers_file_may_replace_a_built_in_drill(tmp_path, capsys):
    folder = tmp_path / "mine"
    assert main(["new", "gatekeeper_v2", "--persona", "receptionist", "--scenarios", str(folder)]) == 0
    path = folder / "scenarios" / "gatekeeper_v2.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("id: gatekeeper_v2", "id: gatekeeper"), encoding="utf-8")
    assert main(["validate", str(folder)]) == 0
    assert main(["--scenarios", str(folder), "list", "--json"]) == 0
    assert "New drill: gatekeeper_v2" in capsys.readouterr().out


def test_a_folder_named_relative_while_the_variable_names_it_absolute(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "mine"
    assert main(["new", "mine", "--persona", "busy_manager", "--scenarios", str(folder)]) == 0
    monkeypatch.setenv("SALESDRILL_SCENARIOS", str(folder))
    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    assert main(["validate", "mine"]) == 0
    assert "ok: 1 scenario(s)" in capsys.readouterr().out
    assert main(["test", "mine"]) == 0
    assert "8 passed, 0 failed" in capsys.readouterr().out
