"""How the arguments of a tag or shortcode are read: {% include %}, {% image %}, {{< figure >}} and the rest."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_ARG = re.compile(
    r"""(?:(?P<key>[\w-]+)\s*=\s*)?"""
    r"""(?:"(?P<dq>(?:[^"\\]|\\.)*)"|'(?P<sq>[^']*)'|`(?P<bq>[^`]*)`|(?P<bare>[^\s,"'`=]+))"""
)
_SEPARATOR = re.compile(r"[\s,]*")


@dataclass
class Args:
    positional: list[str] = field(default_factory=list)
    named: dict[str, str] = field(default_factory=dict)
    unquoted: set[str] = field(default_factory=set)  # keys (or "0", "1"...) written without quotes


def parse_args(text: str) -> Args | None:
    """Shortcode arguments: quoted or bare, positional or key=value, separated by spaces or commas."""
    args, pos = Args(), _SEPARATOR.match(text).end()
    while pos < len(text):
        match = _ARG.match(text, pos)
        if not match:
            return None
        quoted = next((g for g in ("dq", "sq", "bq") if match.group(g) is not None), None)
        value = match.group(quoted or "bare")
        if quoted == "dq":
            value = re.sub(r"\\(.)", r"\1", value)
        key = match.group("key")
        if key is None:
            key = str(len(args.positional))
            args.positional.append(value)
        else:
            args.named[key] = value
        if quoted is None:
            args.unquoted.add(key)
        pos = _SEPARATOR.match(text, match.end()).end()
    return args


def split_outside_quotes(text: str, separator: str) -> list[str]:
    parts, current, quote = [], [], None
    for char in text:
        if quote:
            quote = None if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == separator:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts
