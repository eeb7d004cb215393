"""Play a drill from replies in a file or a pipe: the way tests, trainers and scripts drive it.

Prints the same turns, feedback and summary as the terminal UI, in plain text,
or JSON lines in the transcript's format (`--json`). Each reply is scored and
on disk before the next line is read.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TextIO

from simulator import render
from simulator.drivers import SessionFactory, command_of, display_reply, unknown_command
from simulator.messages import t
from simulator.session import Session, Summary
from simulator.stopping import Stopped, StopSignals, detach_output

__all__ = ["run_scripted"]


def run_scripted(factory: SessionFactory, replies: Iterable[str], out: TextIO, as_json: bool) -> Summary:
    """Play `replies` as they arrive, until they run out, /quit, the call ends, or a stop signal.

    SIGHUP, SIGTERM and SIGINT end the wait for the next line at once and the
    session with its summary (naming the signal); a turn being scored is
    finished and written first. Output that can no longer be written (a closed
    terminal or pipe) ends the session the same way, as "output_closed".
    """
    session = factory.new()
    lang = session.lang
    output_lost = False

    def show(fragments: render.Fragments) -> None:
        nonlocal output_lost
        if as_json or output_lost:
            return
        try:
            out.write(render.plain(fragments))
            out.flush()
        except OSError:
            output_lost = True
            if out is sys.stdout:
                detach_output()

    stopped_by = "eof"
    with StopSignals() as stops:
        pending = iter(replies)
        try:
            show(render.intro(session.scenario, session.persona, lang))
            show(render.persona_says(session.persona, session.opening, lang))
            while not session.finished and not output_lost:
                with stops.waiting():
                    reply = next(pending, None)
                if reply is None:
                    break
                command = command_of(reply)
                if command:
                    next_session = _command(command, session, factory, show, lang)
                    if next_session is None:
                        stopped_by = "quit"
                        break
                    session = next_session
                    continue
                if not reply.strip():
                    continue
                try:
                    turn = session.respond(reply)  # in the transcript before anything is shown
                except OSError:  # a JSON line could not be printed: the reader has gone
                    output_lost = True
                    detach_output()
                    break
                show([("", f"{t('you', lang)}: {display_reply(reply)}\n")])
                show(render.feedback(turn, session.library, lang))
                show(render.persona_says(session.persona, turn.persona_line, lang))
        except Stopped:
            pass
        if stops.name is not None:
            stopped_by = stops.name
        elif output_lost:
            stopped_by = "output_closed"
        final = factory.current or session
        try:
            result = final.close(stopped_by)
        except OSError:  # the summary's JSON line: the reader has gone
            detach_output()
            result = final.close(stopped_by)
        show(render.summary(final, result, factory.transcript_path))
    return result


def _command(command: str, session: Session, factory: SessionFactory, show, lang: str) -> Session | None:
    if command == "/hint":
        show([("class:tip", f"{t('hint', lang)}: {session.hint()}\n")])
    elif command == "/model":
        show([("class:tip", f"{t('model_answer', lang)}:\n")] +
             [("", f"  {i}. {line}\n") for i, line in enumerate(session.model_answer(), 1)])
    elif command == "/restart":
        session.close("restart")
        show([("class:dim", f"{t('restarting', lang)}\n")])
        session = factory.new()
        show(render.persona_says(session.persona, session.opening, lang))
    elif command == "/quit":
        return None
    else:
        show([("class:miss", unknown_command(display_reply(command), lang) + "\n")])
    return session
