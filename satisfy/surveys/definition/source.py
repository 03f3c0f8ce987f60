"""Read YAML (or JSON) into plain data while remembering the line of every field."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from .problems import Path, Problem, format_path

# libyaml's parser is about ten times faster and keeps the same marks (lines).
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
)
"""Tags of plain data; anything else (``!!python/...``, ``!custom``) is refused."""

MAX_NODES = 100_000
"""Refuse YAML documents that expand (through aliases) to more nodes than this."""


@dataclass
class Source:
    """Where plain data came from: file name, line of each path, raw scalar text."""

    filename: str
    lines: dict[Path, int] = field(default_factory=dict)
    raw: dict[Path, str] = field(default_factory=dict)
    """Plain-scalar text of values YAML turned into numbers or booleans (``no``)."""


class _YamlReader:
    """Turn a composed YAML node tree into plain data, remembering lines."""

    def __init__(self, loader: Any, source: Source) -> None:
        self.loader = loader
        self.source = source
        self.problems: list[Problem] = []
        self.count = 0
        self.stack: set[int] = set()

    def problem(self, line: int, message: str, path: Path = ()) -> None:
        self.problems.append(
            Problem(self.source.filename, line, format_path(path), message)
        )

    def read(self, node: yaml.Node, path: Path) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooLargeError
        line = node.start_mark.line + 1
        if node.tag not in _PLAIN_TAGS:
            self.problem(
                line, f"YAML tags such as {node.tag!r} are not supported", path
            )
            return None
        if isinstance(node, yaml.ScalarNode):
            value = self.loader.construct_object(node)
            if isinstance(value, bool | int | float):
                if not node.style:  # plain scalar (None in PyYAML, "" in libyaml)
                    self.source.raw[path] = node.value
            elif value is not None and not isinstance(value, str):
                # timestamps, binary: keep the text the author wrote
                value = str(node.value)
            return value
        if id(node) in self.stack:
            self.problem(line, "a recursive alias is not allowed", path)
            return None
        self.stack.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                items = []
                for index, child in enumerate(node.value):
                    self.source.lines[(*path, index)] = child.start_mark.line + 1
                    items.append(self.read(child, (*path, index)))
                return items
            assert isinstance(node, yaml.MappingNode)  # noqa: S101 - the only node kind left
            data: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key_line = key_node.start_mark.line + 1
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self.problem(key_line, "merge keys (<<) are not supported", path)
                    continue
                if not isinstance(key_node, yaml.ScalarNode):
                    self.problem(key_line, "field names must be plain text", path)
                    continue
                key = str(key_node.value)
                child_path = (*path, key)
                if key in data:
                    first = self.source.lines.get(child_path)
                    self.problem(
                        key_line,
                        f"duplicate field {key!r} (first given on line {first})",
                        path,
                    )
                    continue
                self.source.lines[child_path] = key_line
                data[key] = self.read(value_node, child_path)
            return data
        finally:
            self.stack.discard(id(node))


class _TooLargeError(Exception):
    pass


def _yaml_hint(exc: yaml.MarkedYAMLError) -> str:
    """A likely fix for the YAML mistakes authors make most."""
    problem = exc.problem or ""
    if "but got '?'" in problem:
        return ' (a "?" inside { } ends the text: put the text in quotes)'
    if "mapping values are not allowed" in problem:
        return ' (a text containing ": " must be put in quotes)'
    if "cannot start any token" in problem:
        return (
            " (indent with spaces, not tabs; put texts starting with @ or ` in quotes)"
        )
    return ""


def parse_yaml(text: str, filename: str) -> tuple[Any, Source, list[Problem]]:
    source = Source(filename)
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark is not None else None
            message = " ".join(filter(None, [exc.context, exc.problem]))
            message = (message or "invalid YAML") + _yaml_hint(exc)
            return (
                None,
                source,
                [Problem(filename, line, "", f"invalid YAML: {message}")],
            )
        except yaml.YAMLError as exc:
            return None, source, [Problem(filename, None, "", f"invalid YAML: {exc}")]
        if node is None:
            return None, source, [Problem(filename, None, "", "the document is empty")]
        reader = _YamlReader(loader, source)
        try:
            data = reader.read(node, ())
        except _TooLargeError:
            return (
                None,
                source,
                [Problem(filename, None, "", "the document is too large")],
            )
        except RecursionError:
            return (
                None,
                source,
                [Problem(filename, None, "", "the document is nested too deeply")],
            )
        source.lines.setdefault((), node.start_mark.line + 1)
        return data, source, reader.problems
    finally:
        loader.dispose()
