"""The practice chat in a terminal (prompt_toolkit): persona and feedback in colour, a status toolbar.

A thin driver over `Session`: it reads a reply, hands it over, prints what came
back. Ctrl-C, Ctrl-D, /quit, a closed terminal (SIGHUP) and SIGTERM all end
the session with its summary; the transcript is already on disk turn by turn.
A resized terminal is redrawn by prompt_toolkit (SIGWINCH) while it waits.
"""

from __future__ import annotations

import os

from prompt_toolkit import PromptSession, print_formatted_text
from prompt_toolkit.application import Application
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.output import ColorDepth
from prompt_toolkit.styles import Style

from simulator import render
from simulator.drivers import SessionFactory, command_of, display_reply, unknown_command
from simulator.loader import Catalog
from simulator.messages import t
from simulator.scenario import Scenario
from simulator.session import Session, Summary
from simulator.stopping import Stopped, StopSignals, detach_output

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


class _Screen:
    """Where the chat is printed; after a write fails (the terminal has gone) it prints nothing more."""

    def __init__(self) -> None:
        self.gone = False

    def show(self, fragments: render.Fragments) -> None:
        if self.gone:
            return
        try:
            _show(fragments)
        except OSError:
            self.lost()

    def lost(self) -> None:
        if not self.gone:
            self.gone = True
            detach_output()


def _patience_bar(session: Session) -> str:
    total = session.persona.patience
    return "●" * session.patience + "○" * max(0, total - session.patience)


class _PromptEnder:
    """Ends a running prompt when a stop signal arrives, from the signal handler or the prompt's pre-run hook."""

    def __init__(self, app: Application[str], stops: StopSignals) -> None:
        self.app = app
        self.stops = stops

    def end_now(self) -> None:
        future = self.app.future
        if self.stops.received is not None and future is not None and not future.done():
            self.app.exit(exception=Stopped(self.stops.received))

    def wake(self) -> None:
        loop = self.app.loop
        if self.app.is_running and loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self.end_now)
        # not running yet: its pre-run hook (end_now) sees the signal and ends it at once


def run_interactive(factory: SessionFactory) -> Summary:
    """One drill in the terminal, until the call ends or the rep stops.

    A closed terminal (SIGHUP) or a kill (SIGTERM) ends it like /quit: the turn
    being scored is finished and written, then the summary, which names the
    signal. A transcript that cannot be written stops the session with
    StorageError; every turn before it stays on disk.
    """
    session = factory.new()
    lang = session.lang
    holder = {"session": session}
    screen = _Screen()

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
    stopped_by = "quit"
    with StopSignals() as stops:
        ender = _PromptEnder(prompt.app, stops)
        screen.show(render.intro(session.scenario, session.persona, lang))
        screen.show(render.persona_says(session.persona, session.opening, lang))
        while not session.finished:
            if stops.received is not None or screen.gone:
                break
            try:
                with stops.waiting(ender.wake):
                    reply = prompt.prompt([("class:prompt", f"{t('you', lang)} › ")], pre_run=ender.end_now)
            except Stopped:
                break
            except EOFError:
                stopped_by = "eof"
                break
            except KeyboardInterrupt:
                stopped_by = "interrupt"
                break
            except OSError:  # the terminal went away
                screen.lost()
                break
            command = command_of(reply)
            if command == "/quit":
                break
            if command == "/hint":
                screen.show([("class:tip", f"{t('hint', lang)}: {session.hint()}\n")])
                continue
            if command == "/model":
                lines = [("", f"  {i}. {line}\n") for i, line in enumerate(session.model_answer(), 1)]
                screen.show([("class:tip", f"{t('model_answer', lang)}:\n"), *lines])
                continue
            if command == "/restart":
                session.close("restart")
                screen.show([("class:dim", f"{t('restarting', lang)}\n")])
                session = holder["session"] = factory.new()
                screen.show(render.persona_says(session.persona, session.opening, lang))
                continue
            if command:
                screen.show([("class:miss", unknown_command(display_reply(command), lang) + "\n")])
                continue
            if not reply.strip():
                screen.show([("class:dim", t("blank_reply", lang) + "\n")])
                continue
            turn = session.respond(reply)  # on disk before anything is shown
            screen.show(render.feedback(turn, session.library, lang))
            screen.show(render.persona_says(session.persona, turn.persona_line, lang))
        if stops.name is not None:
            stopped_by = stops.name
        elif screen.gone:
            stopped_by = "terminal_lost"
        result = session.close(stopped_by)
        screen.show(render.summary(session, result, factory.transcript_path))
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
