"""Read a YAML file safely into plain data, remembering where every key and value stood.

Only YAML's safe types are built: a tag asking for a Python object is refused,
an alias bomb or a self-containing alias is cut off, a key given twice is an
error. Positions let every later check point a trainer at `file:line:column`;
a syntax error is explained in a trainer's words (a tab, a full-width colon, a
bracket or quote never closed) at the place to fix, not where the parser gave up.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from simulator.errors import DataFileError

__all__ = ["MAX_DEPTH", "MAX_FILE_BYTES", "MAX_NODES", "Located", "load_yaml", "read_yaml"]

# libyaml's parser when PyYAML was built with it (about ten times faster); both build the same safe nodes.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Enough for any real scenario; an alias bomb expands far beyond it.
MAX_NODES = 200_000
MAX_FILE_BYTES = 2_000_000
MAX_DEPTH = 100  # a scenario is about 8 levels deep

Path = tuple[str | int, ...]

# Characters YAML does not allow in a document (YAML 1.1 printable set).
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_FULL_WIDTH_KEY = re.compile(r"\s*(?:-\s+)?[A-Za-z_][\w-]*\s*：")
# What a plain key resolves to without an explicit tag; any other tag on a key was written on purpose.
_PLAIN_KEY_TAGS = frozenset(f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp"))
_COLLECTION_TAGS = ("tag:yaml.org,2002:seq", "tag:yaml.org,2002:map", "tag:yaml.org,2002:omap")


@dataclass
class Located:
    """Plain data from one YAML file and where each part stood.

    `marks` holds, by path, the position of a mapping's key (or of a list
    item); `values` the position of a mapping value itself. A wrong key is
    shown at the key, a wrong value at the value.
    """

    path: str
    data: Any
    marks: dict[Path, tuple[int, int]] = field(default_factory=dict)
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def where(self, at: Path) -> tuple[int, int]:
        """Line and column of the key (or item) at `at`, or of its nearest ancestor."""
        at = tuple(at)
        while at and at not in self.marks:
            at = at[:-1]
        return self.marks.get(at, (1, 1))

    def value_where(self, at: Path) -> tuple[int, int]:
        """Line and column of the value at `at` (its key's, or an ancestor's, when not recorded)."""
        at = tuple(at)
        while at:
            found = self.values.get(at) or self.marks.get(at)
            if found:
                return found
            at = at[:-1]
        return self.marks.get((), (1, 1))

    def error(self, at: Path, message: str, on_value: bool = False) -> DataFileError:
        line, column = self.value_where(at) if on_value else self.where(at)
        return DataFileError(self.path, message, line, column)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Builder:
    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.text = text
        self.marks: dict[Path, tuple[int, int]] = {}
        self.values: dict[Path, tuple[int, int]] = {}
        self.constructor = yaml.SafeLoader("")

    def fail(self, node: yaml.Node, message: str) -> DataFileError:
        line, column = _mark(node)
        return DataFileError(self.path, message, line, column)

    def survey(self, root: yaml.Node) -> None:
        """Before building anything: refuse self-containing aliases, deep nesting and alias bombs.

        Aliases share nodes, so a node's expanded size is computed once per
        node (iteratively: a hostile file must not exhaust Python's stack).
        """
        size: dict[int, int] = {}
        open_nodes: set[int] = set()
        stack: list[tuple[yaml.Node, Iterator[yaml.Node]]] = [(root, _children(root))]
        open_nodes.add(id(root))
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                open_nodes.discard(id(node))
                size[id(node)] = 1 + sum(size[id(c)] for c in _children(node))
                continue
            if id(child) in open_nodes:
                raise self._recursive(child)
            if id(child) in size:
                continue
            if len(stack) >= MAX_DEPTH:
                raise self.fail(child, f"nested more than {MAX_DEPTH} levels deep: a scenario needs far fewer")
            open_nodes.add(id(child))
            stack.append((child, _children(child)))
        if size[id(root)] > MAX_NODES:
            node = root
            while True:  # blame the smallest part that is too big: the line where the expansion happens
                bigger = next((c for c in _children(node) if size[id(c)] > MAX_NODES), None)
                if bigger is None:
                    break
                node = bigger
            raise self.fail(node, f"the aliases here expand to {size[id(node)]:,} values, more than "
                                  f"{MAX_NODES:,} (an alias bomb?): write the values out")

    def _recursive(self, node: yaml.Node) -> DataFileError:
        """Point at the alias that refers to the list or mapping it sits in."""
        open_anchors: list[str | None] = []
        try:
            for event in yaml.parse(self.text, Loader=_LOADER):
                if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                    open_anchors.append(event.anchor)
                elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                    open_anchors.pop()
                elif isinstance(event, yaml.AliasEvent) and event.anchor in open_anchors:
                    mark = event.start_mark
                    line, column = (mark.line + 1, mark.column + 1) if mark else _mark(node)
                    return DataFileError(self.path, f"alias '*{event.anchor}' is inside the value it names "
                                         "(a recursive alias)", line, column)
        except yaml.YAMLError:
            pass
        return self.fail(node, "recursive alias: a value that contains itself")

    def build(self, node: yaml.Node, at: Path) -> Any:
        if len(at) >= MAX_DEPTH:
            raise self.fail(node, f"nested more than {MAX_DEPTH} levels deep: a scenario needs far fewer")
        self.marks.setdefault(at, _mark(node))
        if isinstance(node, yaml.ScalarNode):
            if node.tag == "tag:yaml.org,2002:str":
                return node.value
            try:
                return self.constructor.construct_object(node, deep=True)
            except yaml.constructor.ConstructorError as exc:
                raise self.fail(node, f"refused tag {node.tag!r}: only plain YAML values are allowed") from exc
        if node.tag not in _COLLECTION_TAGS:
            raise self.fail(node, f"refused tag {node.tag!r}: only plain YAML values are allowed")
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, at + (i,)) for i, child in enumerate(node.value)]
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self.fail(key_node, "merge keys ('<<') are not supported; write the keys out")
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, "a key must be a plain name, not a list or mapping")
            if key_node.tag not in _PLAIN_KEY_TAGS:
                raise self.fail(key_node, f"refused tag {key_node.tag!r} on a key: only plain YAML values are allowed")
            # Keys are names: take them as written, so `on:` stays "on" (YAML 1.1 would read true).
            key = key_node.value
            if key in result:
                first = self.marks.get(at + (key,), (0, 0))[0]
                raise self.fail(key_node, f"key '{key}' given twice (first on line {first}): keep one")
            self.marks[at + (key,)] = _mark(key_node)
            self.values[at + (key,)] = _mark(value_node)
            result[key] = self.build(value_node, at + (key,))
        return result


def _children(node: yaml.Node) -> Iterator[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        yield from node.value
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield key
            yield value


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _syntax_error(exc: yaml.MarkedYAMLError, text: str, path: str) -> DataFileError:
    """A parser error, moved to where the trainer has to look and said plainly."""
    problem = exc.problem or exc.context or "invalid YAML"
    mark = exc.problem_mark or exc.context_mark
    context = exc.context_mark
    lines = text.splitlines()

    def line_text(number: int) -> str:
        return lines[number - 1] if 0 < number <= len(lines) else ""

    def at(line: int, column: int, message: str) -> DataFileError:
        return DataFileError(path, f"invalid YAML: {message}", line, column)

    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    if "nesting depth" in problem:
        return at(line, column, "nested too deeply: a scenario needs far fewer levels")
    for number in dict.fromkeys(n for n in (context.line + 1 if context else None, line) if n):
        found = _FULL_WIDTH_KEY.match(line_text(number))
        if found:
            return at(number, found.end(), "a full-width colon '：' (Chinese input) where YAML needs ':' and a space")
    if "tab" in problem or (0 < line <= len(lines) and line_text(line)[column - 1:column] == "\t"):
        tab = line_text(line).find("\t")
        return at(line, tab + 1 if tab >= 0 else column, "a tab character: YAML indents with spaces only")
    closed = line_text(line)[column - 2:column - 1] if column > 1 else ""
    if closed in ("\"", "'"):  # a quoted text just ended where nothing may follow: its start was never closed
        start = line_text(line).rfind(closed, 0, column - 2)
        if start >= 0:
            return at(line, start + 1, f"the quote opened here is never closed: the text runs on to the "
                                       f"next {closed} at column {column - 1}")
    if context is not None and exc.context and "flow" in exc.context:
        opened = context.line + 1
        quote = _unclosed_quote(line_text(opened))
        if quote is not None:
            return at(opened, quote + 1, f"the quote opened here is never closed (YAML gave up at line {line})")
        bracket = line_text(opened)[context.column:context.column + 1] or "bracket"
        return at(opened, context.column + 1,
                  f"the '{bracket}' opened here is never closed, or a ',' is missing (YAML gave up at line {line})")
    if context is not None and exc.context and "quoted scalar" in exc.context:
        return at(context.line + 1, context.column + 1, "the quote opened here is never closed")
    if context is not None and exc.context and "simple key" in exc.context:
        bad = line_text(context.line + 1)
        glued = re.search(r"^\s*[^\s#:]+:(?=\S)", bad)
        if glued:
            return at(context.line + 1, context.column + 1,
                      f"no space after ':' in '{bad.strip()}': write 'key: value'")
        return at(context.line + 1, context.column + 1, "this line is not 'key: value' (a ':' is missing?)")
    if "another document" in problem:
        return at(line, column, "a second document ('---'): a scenario file holds one document")
    if "mapping values are not allowed" in problem:
        problem += " (is the line indented too far, or does a text with ': ' need quotes?)"
    if "expected key" in problem or "expected <block end>" in problem:
        problem += " (check the indent: keys of one mapping line up exactly)"
    return at(line, column, problem)


def _unclosed_quote(line: str) -> int | None:
    """Index of a quote on `line` that is never closed, if there is one."""
    quote: str | None = None
    start = 0
    for i, ch in enumerate(line):
        if quote is None:
            if ch in "\"'" and (i == 0 or line[i - 1] in " [{,:"):
                quote, start = ch, i
            elif ch == "#" and (i == 0 or line[i - 1] == " "):
                break
        elif ch == quote:
            if quote == "'" and line[i + 1:i + 2] == "'":
                continue
            if quote == '"' and line[i - 1] == "\\":
                continue
            quote = None
    return start if quote is not None else None


def load_yaml(text: str, path: str) -> Located:
    """Parse YAML text; any problem is a DataFileError at its line and column."""
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, text, path) from None
    except yaml.reader.ReaderError:
        bad = _NOT_PRINTABLE.search(text)
        if bad is None:
            raise DataFileError(path, "invalid YAML: a character YAML does not allow", 1, 1) from None
        line, column = _position(text, bad.start())
        raise DataFileError(path, f"a control character (U+{ord(bad.group()):04X}) YAML does not allow; "
                            "delete it", line, column) from None
    except yaml.YAMLError as exc:
        raise DataFileError(path, f"invalid YAML: {exc}", 1, 1) from None
    except RecursionError:
        raise DataFileError(path, "invalid YAML: nested too deeply", 1, 1) from None
    if node is None:
        raise DataFileError(path, "the file is empty (or holds only comments)", 1, 1)
    builder = _Builder(path, text)
    if "&" in text:  # without an anchor there is no alias, so nothing shared to expand or loop
        builder.survey(node)
    data = builder.build(node, ())
    return Located(path, data, builder.marks, builder.values)


def read_yaml(path: str, text: str | None = None) -> Located:
    """Read and parse a YAML file from disk (or the given text, named `path`)."""
    if text is None:
        try:
            with open(path, "rb") as handle:
                raw = handle.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise DataFileError(path, f"cannot read: {exc.strerror or exc}", unreadable=True) from None
        text = _decode(raw, path)
    return load_yaml(text, path)


def _decode(raw: bytes, path: str) -> str:
    """A file's bytes as text, or an unreadable-file error saying what the bytes look like."""
    def unreadable(message: str, line: int = 1, column: int = 1) -> DataFileError:
        return DataFileError(path, message, line, column, unreadable=True)

    if len(raw) > MAX_FILE_BYTES:
        raise unreadable(f"the file is larger than {MAX_FILE_BYTES // 1_000_000} MB: not a scenario")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise unreadable("saved as UTF-16: save it as UTF-8")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if b"\x00" in raw[:8000]:
            raise unreadable("not a text file (it holds binary data)") from None
        start = exc.start
        while start > 0 and raw[start - 1] >= 0x80:  # from the start of the run of non-ASCII bytes
            start -= 1
        before = raw[:start].decode("utf-8-sig", errors="replace")
        line, column = _position(before, len(before))
        raise unreadable(f"not UTF-8 text (byte 0x{raw[exc.start]:02x}): save the file as UTF-8; "
                         "a Chinese editor may have saved it as GBK", line, column) from None
