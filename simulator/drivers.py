"""The plumbing every way of running a session shares: making one, its transcript, and its commands.

The terminal UI and scripted runs differ only in where replies come from and
how output is shown; both build sessions here.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from simulator.errors import SalesdrillError
from simulator.loader import Catalog
from simulator.messages import t
from simulator.session import Session, utc_now
from simulator.transcript import TranscriptWriter, data_dir, ensure_writable, new_transcript_path

__all__ = ["COMMANDS", "SessionFactory", "display_reply", "iter_replies", "json_sink"]

COMMANDS = ("/hint", "/model", "/restart", "/quit")
_DISPLAY_LIMIT = 400
_UNPRINTABLE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|[\x00-\x08\x0b-\x1f\x7f-\x9f]")


_RELOADED = {
    "zh": "已重新读取 {source}。",
    "en": "Reloaded {source}.",
}
_RELOAD_FAILED = {
    "zh": "修改后的文件有问题,继续使用之前的版本:",
    "en": "The changed files have problems; still playing the version loaded before:",
}
_RELOAD_SHOWN = 5  # problems listed in the chat; `salesdrill validate` lists them all


@dataclass
class SessionFactory:
    """Makes fresh sessions of one drill, each with its own transcript.

    With `reload`, every session after the first (a /restart) is made from a
    freshly loaded catalog, so a trainer's saved edit is played at once. A
    catalog that no longer validates is not used: `notify` gets its problems and
    the version loaded before keeps playing.
    """

    catalog: Catalog
    drill: str
    lang: str
    seed: int
    write_transcript: bool = True
    extra_sinks: tuple[Callable[[dict[str, Any]], None], ...] = ()
    mode: str = "practice"
    reload: Callable[[], Catalog] | None = None
    notify: Callable[[str], None] = lambda message: None

    def __post_init__(self) -> None:
        self.folder = ensure_writable(f"{data_dir()}/transcripts") if self.write_transcript else None
        self.writer: TranscriptWriter | None = None
        self.current: Session | None = None

    def new(self) -> Session:
        if self.current is not None and self.reload is not None:
            self._reload(self.reload)
        scenario = self.catalog.drill(self.drill)
        persona = self.catalog.persona_of(scenario)
        sinks = list(self.extra_sinks)
        self.writer = None
        if self.folder:
            started = utc_now()
            self.writer = TranscriptWriter(new_transcript_path(self.folder, self.drill, self.lang, started))
            sinks.insert(0, self.writer)
        self.current = Session(scenario, persona, self.catalog.matcher, self.lang, self.seed,
                               sinks=sinks, mode=self.mode, transcript=self.transcript_path)
        return self.current

    @property
    def transcript_path(self) -> str | None:
        return self.writer.path if self.writer else None

    def _reload(self, load: Callable[[], Catalog]) -> None:
        try:
            fresh = load()
            problems: list[SalesdrillError] = list(fresh.problems)
            if not problems:
                fresh.drill(self.drill)
        except SalesdrillError as exc:
            problems = [exc]
        if problems:
            shown = [f"  {p.one_line()}" for p in problems[:_RELOAD_SHOWN]]
            if len(problems) > _RELOAD_SHOWN:
                shown.append(f"  (+{len(problems) - _RELOAD_SHOWN})")
            self.notify("\n".join([_RELOAD_FAILED.get(self.lang, _RELOAD_FAILED["en"]), *shown]))
            return
        before = self.catalog.drill(self.drill)
        after = fresh.drill(self.drill)
        changed = [sc.source for sc in (after,) if sc != before]
        if fresh.persona_of(after) != self.catalog.persona_of(before):
            changed.append(fresh.persona_of(after).source)
        if fresh.library.version != self.catalog.library.version:
            changed.append("principles.yaml")
        if changed:
            self.notify(_RELOADED.get(self.lang, _RELOADED["en"]).format(source=", ".join(changed)))
        self.catalog = fresh


def json_sink(stream: TextIO) -> Callable[[dict[str, Any]], None]:
    def write(record: dict[str, Any]) -> None:
        from simulator.transcript import dumps_record

        stream.write(dumps_record(record) + "\n")  # escaped like the transcript: one safe line per record
        stream.flush()

    return write


def display_reply(reply: str) -> str:
    """A reply as it may be echoed on a terminal: no escape sequences, not a wall of text."""
    clean = _UNPRINTABLE.sub("", reply).replace("\n", " ")
    if len(clean) > _DISPLAY_LIMIT:
        clean = clean[:_DISPLAY_LIMIT] + f"… (+{len(clean) - _DISPLAY_LIMIT})"
    return clean


def iter_replies(stream: TextIO) -> Iterator[str]:
    """Replies one per line, yielded as each line arrives (a pipe is not read ahead)."""
    while True:
        line = stream.readline()
        if not line:
            return
        yield line.rstrip("\r\n")


def command_of(reply: str) -> str | None:
    """The slash command a reply is, if it is one."""
    word = reply.strip().split(maxsplit=1)[0].lower() if reply.strip() else ""
    return word if word.startswith("/") else None


def unknown_command(command: str, lang: str) -> str:
    return t("unknown_command", lang, command=command)


def stdin_is_terminal() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False
