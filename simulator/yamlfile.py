"""Read a YAML file safely into plain data, remembering where every value stood.

Only YAML's safe types are built: a tag asking for a Python object is refused,
an alias bomb is cut off, a key given twice is an error. Positions let every
later check point a trainer at `file:line:column`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from simulator.errors import DataFileError

__all__ = ["MAX_NODES", "Located", "load_yaml", "read_yaml"]

# libyaml's parser when PyYAML was built with it (about ten times faster); both build the same safe nodes.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Enough for any real scenario; an alias bomb expands far beyond it.
MAX_NODES = 200_000
MAX_FILE_BYTES = 2_000_000

Path = tuple[str | int, ...]


@dataclass
class Located:
    """Plain data from one YAML file and the line/column of each value by its path."""

    path: str
    data: Any
    marks: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def where(self, at: Path) -> tuple[int, int]:
        """Line and column of the value at `at`, or of its nearest ancestor."""
        at = tuple(at)
        while at and at not in self.marks:
            at = at[:-1]
        return self.marks.get(at, (1, 1))

    def error(self, at: Path, message: str) -> DataFileError:
        line, column = self.where(at)
        return DataFileError(self.path, message, line, column)


class _Builder:
    def __init__(self, path: str) -> None:
        self.path = path
        self.marks: dict[Path, tuple[int, int]] = {}
        self.nodes = 0
        self.constructor = yaml.SafeLoader("")

    def fail(self, node: yaml.Node, message: str) -> DataFileError:
        return DataFileError(self.path, message, node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: yaml.Node, at: Path, ancestors: tuple[int, ...] = ()) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise self.fail(node, f"document expands to more than {MAX_NODES} values (an alias bomb?)")
        if id(node) in ancestors:
            raise self.fail(node, "recursive alias")
        self.marks.setdefault(at, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.ScalarNode):
            try:
                return self.constructor.construct_object(node, deep=True)
            except yaml.constructor.ConstructorError as exc:
                raise self.fail(node, f"refused tag {node.tag!r}: only plain YAML values are allowed") from exc
        if node.tag not in ("tag:yaml.org,2002:seq", "tag:yaml.org,2002:map", "tag:yaml.org,2002:omap"):
            raise self.fail(node, f"refused tag {node.tag!r}: only plain YAML values are allowed")
        inner = ancestors + (id(node),)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, at + (i,), inner) for i, child in enumerate(node.value)]
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self.fail(key_node, "merge keys ('<<') are not supported; write the keys out")
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, "a key must be a plain name")
            # Keys are names: take them as written, so `on:` stays "on" (YAML 1.1 would read true).
            key = key_node.value
            if key in result:
                raise self.fail(key_node, f"key '{key}' given twice")
            self.marks[at + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.build(value_node, at + (key,), inner)
        return result


def load_yaml(text: str, path: str) -> Located:
    """Parse YAML text; any problem is a DataFileError at its line and column."""
    builder = _Builder(path)
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise DataFileError(path, f"invalid YAML: {problem}", line, column) from None
    except yaml.YAMLError as exc:
        raise DataFileError(path, f"invalid YAML: {exc}") from None
    if node is None:
        raise DataFileError(path, "the file is empty", 1, 1)
    data = builder.build(node, ())
    return Located(path, data, builder.marks)


def read_yaml(path: str, text: str | None = None) -> Located:
    """Read and parse a YAML file from disk (or the given text, named `path`)."""
    if text is None:
        try:
            with open(path, "rb") as handle:
                raw = handle.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise DataFileError(path, f"cannot read: {exc.strerror or exc}", unreadable=True) from None
        if len(raw) > MAX_FILE_BYTES:
            raise DataFileError(path, f"file is larger than {MAX_FILE_BYTES // 1_000_000} MB", unreadable=True)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DataFileError(path, f"not UTF-8 text (byte {exc.start})", unreadable=True) from None
    return load_yaml(text, path)
