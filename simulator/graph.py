"""Draw a drill's state machine: Mermaid text (pastes into Markdown) or Graphviz DOT.

Ends are coloured (success green, failure red); each edge is labelled with
what takes it: the principles or anti-patterns of its rule, a score bound, or
`otherwise`. The two engine-wide ways out (patience, the two-tries rule) are
drawn dashed from the start state.
"""

from __future__ import annotations

from simulator.scenario import FAILURE, SUCCESS, Rule, Scenario

__all__ = ["FORMATS", "to_dot", "to_mermaid"]

FORMATS = ("mermaid", "dot")


def _label(rule: Rule) -> str:
    parts = []
    if rule.when:
        parts.append(" + ".join(rule.when))
    if rule.when_any:
        parts.append(" | ".join(rule.when_any))
    if rule.unless:
        parts.append("not " + " | ".join(rule.unless))
    if rule.min_score is not None:
        parts.append(f"score ≥ {rule.min_score}")
    if rule.max_score is not None:
        parts.append(f"score ≤ {rule.max_score}")
    return "; ".join(parts) or "otherwise"


def _tries_label(scenario: Scenario) -> str:
    """The two-tries rule as it stands in this drill (max_tries weak answers allowed)."""
    return f"weak answer {scenario.max_tries + 1} to one objection"


def _node_id(state: str) -> str:
    return "s_" + "".join(ch if ch.isalnum() else "_" for ch in state)


def to_mermaid(scenario: Scenario) -> str:
    lines = ["stateDiagram-v2", f"    [*] --> {_node_id(scenario.start)}"]
    for state in scenario.states.values():
        lines.append(f'    state "{state.id}" as {_node_id(state.id)}')
    for state in scenario.states.values():
        for rule in state.rules:
            label = _label(rule).replace(":", " ")
            lines.append(f"    {_node_id(state.id)} --> {_node_id(rule.go)}: {label}")
    lines.append(f"    {_node_id(scenario.start)} --> {_node_id(scenario.patience_end)}: patience runs out")
    lines.append(f"    {_node_id(scenario.start)} --> {_node_id(scenario.tries_end)}: {_tries_label(scenario)}")
    for state in scenario.states.values():
        if state.end:
            lines.append(f"    {_node_id(state.id)} --> [*]")
    lines.append("    classDef success fill:#c8f7c5,stroke:#2e7d32")
    lines.append("    classDef failure fill:#f9c6c6,stroke:#c62828")
    for kind in (SUCCESS, FAILURE):
        ids = [_node_id(s.id) for s in scenario.states.values() if s.end == kind]
        if ids:
            lines.append(f"    class {','.join(ids)} {kind}")
    return "\n".join(lines) + "\n"


def to_dot(scenario: Scenario) -> str:
    colours = {SUCCESS: "#c8f7c5", FAILURE: "#f9c6c6"}
    lines = [f'digraph "{scenario.id}" {{', "    rankdir=LR;", '    node [shape=box, style="rounded,filled", fillcolor="#ffffff"];']
    for state in scenario.states.values():
        shape = "doubleoctagon" if state.end else "box"
        fill = colours.get(state.end or "", "#e8eefc" if state.id == scenario.start else "#ffffff")
        lines.append(f'    "{state.id}" [shape={shape}, fillcolor="{fill}"];')
    for state in scenario.states.values():
        for rule in state.rules:
            label = _label(rule).replace('"', "'")
            lines.append(f'    "{state.id}" -> "{rule.go}" [label="{label}"];')
    lines.append(f'    "{scenario.start}" -> "{scenario.patience_end}" [label="patience runs out", style=dashed];')
    lines.append(f'    "{scenario.start}" -> "{scenario.tries_end}" [label="{_tries_label(scenario)}", style=dashed];')
    lines.append("}")
    return "\n".join(lines) + "\n"
