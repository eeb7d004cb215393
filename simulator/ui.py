"""The practice chat in a terminal (prompt_toolkit): persona and feedback in colour, a status toolbar.

A thin driver over `Session`: it reads a reply, hands it over, prints what came
back. Ctrl-C, Ctrl-D, /quit and a closed terminal all end the session with
its summary; the transcript is already on disk turn by turn.
"""

from __future__ import annotations

import os

from prompt_toolkit import PromptSession, print_formatted_text
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.output import ColorDepth
from prompt_toolkit.styles import Style

from simulator import render
from simulator.drivers import SessionFactory, command_of, unknown_command
from simulator.loader import Catalog
from simulator.messages import t
from simulator.scenario import Scenario
from simulator.session import Session, Summary

__all__ = ["STYLE", "choose_drill", "run_interactive"]

STYLE = Style.from_dict({
    "title": "bold",
    "dim": "#888888",
    "persona-name": "bold #5fafff",
    "persona": "#5fafff",
    "score": "bold",
    "hit": "#5fd75f",
    "miss": "#d7af00",
    "penalty": "#ff5f5f",
    "tip": "italic #d787ff",
    "outcome-success": "bold #5fd75f",
    "outcome-failure": "bold #ff5f5f",
    "outcome-incomplete": "bold #d7af00",
    "bottom-toolbar": "bg:#303030 #eeeeee noreverse",
    "prompt": "bold",
})


def _color_depth() -> ColorDepth | None:
    return ColorDepth.DEPTH_1_BIT if os.environ.get("NO_COLOR") else None


def _show(fragments: render.Fragments) -> None:
    print_formatted_text(FormattedText(fragments), style=STYLE, end="", color_depth=_color_depth())


def _patience_bar(session: Session) -> str:
    total = session.persona.patience
    return "●" * session.patience + "○" * max(0, total - session.patience)


def run_interactive(factory: SessionFactory) -> Summary:
    """One drill in the terminal, until the call ends or the rep stops."""
    session = factory.new()
    lang = session.lang
    holder = {"session": session}

    def toolbar() -> FormattedText:
        s = holder["session"]
        return FormattedText([("class:bottom-toolbar", (
            f" {t('drill', lang)}: {s.scenario.title.get(lang)} │ {t('turn', lang)} {len(s.turns) + 1}"
            f" │ {t('patience', lang)} {_patience_bar(s)} │ {t('score', lang)} {s.running_score}"
            f" │ {t('toolbar_keys', lang)} "
        ))])

    prompt: PromptSession[str] = PromptSession(
        bottom_toolbar=toolbar, style=STYLE, color_depth=_color_depth(), erase_when_done=False,
    )
    _show(render.intro(session.scenario, session.persona, lang))
    _show(render.persona_says(session.persona, session.opening, lang))
    while not session.finished:
        try:
            reply = prompt.prompt([("class:prompt", f"{t('you', lang)} › ")])
        except (EOFError, KeyboardInterrupt):
            break
        except OSError:  # the terminal went away
            break
        command = command_of(reply)
        if command == "/quit":
            break
        if command == "/hint":
            _show([("class:tip", f"{t('hint', lang)}: {session.hint()}\n")])
            continue
        if command == "/model":
            lines = [("", f"  {i}. {line}\n") for i, line in enumerate(session.model_answer(), 1)]
            _show([("class:tip", f"{t('model_answer', lang)}:\n"), *lines])
            continue
        if command == "/restart":
            session.close()
            _show([("class:dim", f"{t('restarting', lang)}\n")])
            session = holder["session"] = factory.new()
            _show(render.persona_says(session.persona, session.opening, lang))
            continue
        if command:
            _show([("class:miss", unknown_command(command, lang) + "\n")])
            continue
        if not reply.strip():
            _show([("class:dim", t("blank_reply", lang) + "\n")])
            continue
        turn = session.respond(reply)
        _show(render.feedback(turn, session.library, lang))
        _show(render.persona_says(session.persona, turn.persona_line, lang))
    result = session.close()
    _show(render.summary(session, result, factory.transcript_path))
    return result


def choose_drill(catalog: Catalog, lang: str, suggested: Scenario | None) -> Scenario | None:
    """The menu: drills in curriculum order, the suggested next one marked. None when the rep quits."""
    drills = catalog.ordered()
    lines: render.Fragments = [("class:title", f"\n{t('menu_title', lang)}\n")]
    for i, sc in enumerate(drills, 1):
        mark = " ◀" if suggested is not None and sc.id == suggested.id else ""
        stars = "★" * sc.difficulty
        lines.append(("", f"  {i:>2}. {render.pad(sc.title.get(lang), 34)} {stars:<4} {sc.id}{mark}\n"))
    if suggested is not None:
        lines.append(("class:tip", t("menu_next", lang, title=suggested.title.get(lang)) + "\n"))
    _show(lines)
    prompt: PromptSession[str] = PromptSession(style=STYLE, color_depth=_color_depth())
    while True:
        try:
            answer = prompt.prompt(t("menu_prompt", lang)).strip()
        except (EOFError, KeyboardInterrupt):
            return None
        if answer.lower() in ("q", "quit", "/quit", "exit"):
            return None
        if not answer and suggested is not None:
            return suggested
        if answer.isdigit() and 1 <= int(answer) <= len(drills):
            return drills[int(answer) - 1]
        if answer in catalog.scenarios:
            return catalog.scenarios[answer]
        _show([("class:miss", t("menu_invalid", lang) + "\n")])


def next_drill(catalog: Catalog, done: Scenario, succeeded: bool) -> Scenario:
    """After a success, the next drill in the curriculum; after a failure, the same one again."""
    drills = catalog.ordered()
    if not succeeded:
        return done
    index = next((i for i, sc in enumerate(drills) if sc.id == done.id), -1)
    return drills[(index + 1) % len(drills)]
