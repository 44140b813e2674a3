"""Front matter in the three dialects static-site generators write, as one mapping.

YAML between '---' lines (Jekyll, Eleventy, Jigsaw, Gatsby, Hugo), TOML between
'+++' lines and a JSON object (both Hugo's). Keys are matched case-insensitively,
as Hugo does (Title:, Date:, Tags:), and a site may map its own keys onto ours.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import tomllib

import yaml
from django.conf import settings

try:  # libyaml is several times faster; PyYAML's wheels ship it.
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader


class LegacyFileError(Exception):
    """A file that cannot be imported, with the reason why."""


class NoFrontMatter(Exception):
    """The file does not start with front matter: not a post (a README, a data file, notes)."""


_YAML_OPENING = re.compile(r"\A---[ \t]*\n")
_YAML_CLOSING = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_TOML_OPENING = re.compile(r"\A\+\+\+[ \t]*\n")
_TOML_CLOSING = re.compile(r"^\+\+\+[ \t]*$", re.MULTILINE)


def split_front_matter(text: str) -> tuple[str, str, str]:
    """(dialect, front matter, body); dialect is "yaml", "toml" or "json".

    python-frontmatter returns empty metadata instead of failing when the
    delimiters are off, so they are checked here."""
    if not text.strip():
        raise LegacyFileError("empty file")
    if opening := _YAML_OPENING.match(text):
        dialect, closing = "yaml", _YAML_CLOSING.search(text, opening.end())
    elif opening := _TOML_OPENING.match(text):
        dialect, closing = "toml", _TOML_CLOSING.search(text, opening.end())
    elif text.startswith("{") and not text.startswith(("{%", "{{")):  # a template, not JSON
        return ("json", *_split_json(text))
    else:
        raise NoFrontMatter("no front matter (the file does not start with '---', '+++' or '{')")
    if not closing:
        fence = "---" if dialect == "yaml" else "+++"
        raise LegacyFileError(f"front matter is not closed: no second '{fence}' line")
    front, body = text[opening.end() : closing.start()], text[closing.end() :]
    _check_length(front)
    return dialect, front, body.lstrip("\n")


def _split_json(text: str) -> tuple[str, str]:
    try:
        _, end = json.JSONDecoder().raw_decode(text)
    except json.JSONDecodeError as error:
        raise LegacyFileError(f"malformed JSON front matter at line {error.lineno}: {error.msg}") from error
    _check_length(text[:end])
    return text[:end], text[end:].lstrip("\n")


def _check_length(front: str) -> None:
    limit = settings.NEWSROOM_IMPORT_MAX_FRONT_MATTER_BYTES
    if len(front.encode("utf-8")) > limit:
        raise LegacyFileError(f"front matter is larger than {limit:,} bytes")


def load_front_matter(front: str, dialect: str = "yaml") -> dict:
    """The front matter as a mapping, or LegacyFileError saying what is wrong and where."""
    if dialect == "toml":
        try:
            data = tomllib.loads(front)
        except tomllib.TOMLDecodeError as error:
            raise LegacyFileError(f"malformed TOML front matter: {error}") from error
    elif dialect == "json":
        data = json.loads(front)
    else:
        data = _load_yaml(front)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise LegacyFileError(f"front matter is a {type(data).__name__}, not a mapping of keys to values")
    _check_size(data)
    return data


def _load_yaml(front: str):
    try:
        return yaml.load(front, Loader=SafeLoader)  # noqa: S506 (SafeLoader: no Python tags)
    except yaml.constructor.ConstructorError as error:
        line = error.problem_mark.line + 2 if error.problem_mark else "?"
        raise LegacyFileError(f"unsafe or unknown YAML tag at line {line}: {error.problem}") from error
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 2 if error.problem_mark else "?"
        raise LegacyFileError(f"malformed YAML at line {line}: {error.problem}") from error
    except yaml.YAMLError as error:
        raise LegacyFileError(f"malformed YAML: {error}") from error


def _check_size(data) -> None:
    """Refuse structures that are small as YAML but huge in memory (alias bombs)."""
    budget = settings.NEWSROOM_IMPORT_MAX_FRONT_MATTER_NODES
    stack, seen = [data], 0
    while stack:
        item = stack.pop()
        seen += 1
        if seen > budget:
            raise LegacyFileError(f"front matter has more than {budget:,} values (an alias bomb?)")
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set):
            stack.extend(item)


def folded(data: dict, key_map: dict[str, str] | None = None) -> dict:
    """data with every mapping's keys in lower case (a key already in lower case wins
    over its capitalised twin), and the site's own top-level keys renamed by key_map
    (its keys in lower case too); a mapped key replaces ours."""
    result = _fold(data)
    for theirs, ours in (key_map or {}).items():
        if theirs in result:
            result[ours] = result.pop(theirs)
    return result


def _fold(value):
    if isinstance(value, dict):
        result = {}
        for key, item in value.items():
            name = key.lower() if isinstance(key, str) else key
            if name not in result or key == name:
                result[name] = _fold(item)
        return result
    if isinstance(value, list):
        return [_fold(item) for item in value]
    return value


def parse_key_map(text: str) -> dict[str, str]:
    """'newstitle=title, blurb=description' -> {"newstitle": "title", "blurb": "description"};
    ValueError saying which part is wrong."""
    mapping = {}
    for part in re.split(r"[,\n]", text or ""):
        if not part.strip():
            continue
        theirs, equals, ours = part.partition("=")
        if not equals or not theirs.strip() or not ours.strip():
            raise ValueError(f"'{part.strip()}' is not of the form their_key=our_key")
        mapping[theirs.strip().lower()] = ours.strip().lower()
    return mapping


def json_safe(value):
    """Front matter as JSON can store it: dates as ISO strings, sets as lists."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [json_safe(v) for v in value]
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, float) and not math.isfinite(value):  # NaN and ±inf are not JSON
        return None
    return value
