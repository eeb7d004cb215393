"""Play a drill from replies in a file or a pipe: the way tests, trainers and scripts drive it.

Prints the same turns, feedback and summary as the terminal UI, in plain text,
or JSON lines in the transcript's format (`--json`). Each reply is scored and
on disk before the next line is read.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from simulator import render
from simulator.drivers import SessionFactory, command_of, display_reply, unknown_command
from simulator.messages import t
from simulator.session import Session, Summary

__all__ = ["run_scripted"]


def run_scripted(factory: SessionFactory, replies: Iterable[str], out: TextIO, as_json: bool) -> Summary:
    session = factory.new()
    lang = session.lang

    def show(fragments: render.Fragments) -> None:
        if not as_json:
            out.write(render.plain(fragments))
            out.flush()

    show(render.intro(session.scenario, session.persona, lang))
    show(render.persona_says(session.persona, session.opening, lang))
    for reply in replies:
        if session.finished:
            break
        command = command_of(reply)
        if command:
            next_session = _command(command, session, factory, show, lang)
            if next_session is None:
                break
            session = next_session
            continue
        if not reply.strip():
            continue
        turn = session.respond(reply)
        show([("", f"{t('you', lang)}: {display_reply(reply)}\n")])
        show(render.feedback(turn, session.library, lang))
        show(render.persona_says(session.persona, turn.persona_line, lang))
    final = factory.current or session
    result = final.close()
    show(render.summary(final, result, factory.transcript_path))
    return result


def _command(command: str, session: Session, factory: SessionFactory, show, lang: str) -> Session | None:
    if command == "/hint":
        show([("class:tip", f"{t('hint', lang)}: {session.hint()}\n")])
    elif command == "/model":
        show([("class:tip", f"{t('model_answer', lang)}:\n")] +
             [("", f"  {i}. {line}\n") for i, line in enumerate(session.model_answer(), 1)])
    elif command == "/restart":
        session.close()
        show([("class:dim", f"{t('restarting', lang)}\n")])
        session = factory.new()
        show(render.persona_says(session.persona, session.opening, lang))
    elif command == "/quit":
        return None
    else:
        show([("class:miss", unknown_command(command, lang) + "\n")])
    return session
