"""What the site an archive came from says about all of its posts.

A generator's config file gives the old addresses' shape (Jekyll's permalink,
Hugo's [permalinks]), the base path, the time zone and the site.* values posts
refer to; directory data (Eleventy's posts/posts.json, Hugo's _index.md cascade)
gives defaults to every post below it. Nothing here runs the site's code:
config.php and the JavaScript configs are read as text, or only noticed.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import posixpath
import re
import tomllib
import uuid
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import yaml
from django.conf import settings

from articles.importing.addresses import LegacyUrlPattern, PatternError, section_of
from articles.importing.dates import site_zone
from articles.importing.frontmatter import SafeLoader, folded, load_front_matter, split_front_matter
from articles.importing.options import SOURCE_NAME_LENGTH, shown_path

# (generator, config file names), in the order they are looked for.
CONFIG_FILES = (
    ("jekyll", ("_config.yml", "_config.yaml", "_config.toml")),
    ("hugo", ("hugo.toml", "hugo.yaml", "hugo.json", "config.toml", "config.yaml", "config.json")),
    ("jigsaw", ("config.php",)),
    ("eleventy", (".eleventy.js", "eleventy.config.js", "eleventy.config.mjs", "eleventy.config.cjs")),
    ("gatsby", ("gatsby-config.js", "gatsby-config.ts", "gatsby-config.mjs")),
    ("next", ("next.config.js", "next.config.mjs")),
)
LEVELS_UP = 2  # a site's config is looked for in the named folder and this many above it

# Jekyll's named permalink styles (https://jekyllrb.com/docs/permalinks/#built-in-formats).
JEKYLL_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
_PHP_PAIR = re.compile(r"""['"](\w+)['"]\s*=>\s*(?:'([^']*)'|"([^"]*)"|(true|false|\d+))""")
MAX_CONFIG_BYTES = 256 * 1024
# Hosts a generator's starter config ships with: many sites never change them, so they name no site.
_PLACEHOLDER_HOST = re.compile(r"(^|\.)(example\.(com|org|net)|localhost|127\.0\.0\.1|0\.0\.0\.0)$")


# A worker's one copy of each site for the run, so what it looks up (the posts' index, the
# directory data) is read once per process and not once per chunk of files it is sent.
_WORKER_COPIES: dict[str, SiteContext] = {}
_CACHES = ("_defaults", "_patterns", "_posts", "addresses")


def _worker_copy(token: str, state: dict) -> SiteContext:
    site = _WORKER_COPIES.get(token) if multiprocessing.parent_process() is not None else None
    if site is None:
        site = SiteContext.__new__(SiteContext)
        site.__dict__.update(state)
        if multiprocessing.parent_process() is not None:  # a worker: it ends with the run
            _WORKER_COPIES[token] = site
    return site


@dataclass
class SiteContext:
    """One import root's site. It travels to the import's worker processes without its caches,
    and each worker keeps one copy of it (see _worker_copy)."""

    root: Path | None = None  # the folder holding the config file, when one was found
    generator: str = ""
    config: dict = field(default_factory=dict)  # keys folded to lower case
    zone_name: str = "UTC"
    permalinks: dict[str, str] = field(default_factory=dict)  # section ("" for all) -> generator's own pattern
    base_path: str = ""  # the path the old site was served under ("/blog"), from baseurl / baseURL
    key_map: dict[str, str] = field(default_factory=dict)
    url_pattern: str = ""  # the run's own legacy URL pattern, when it gives one (checked by check_pattern)
    problems: list[str] = field(default_factory=list)
    _defaults: dict = field(default_factory=dict, repr=False)
    _patterns: dict = field(default_factory=dict, repr=False)
    _posts: dict = field(default_factory=dict, repr=False)  # import root -> {name: path} of its post files
    addresses: dict = field(default_factory=dict, repr=False)  # a linked post's path -> its old address
    token: str = field(default_factory=lambda: uuid.uuid4().hex, repr=False)

    def __reduce__(self):
        state = {key: ({} if key in _CACHES else value) for key, value in self.__dict__.items()}
        return _worker_copy, (self.token, state)

    @property
    def zone(self) -> dt.tzinfo:
        return site_zone(self.zone_name) or dt.UTC

    def source_name(self, import_root: Path) -> str:
        """The name articles from this site are known by when the run names none (--source):
        the old site's host from its config, else the name of the site's folder (of the named
        folder when no config was found). It stays the same from run to run, whichever
        folder of the site is named."""
        for key in ("url", "baseurl"):
            value = self.config.get(key)
            host = urlsplit(value.strip()).hostname if isinstance(value, str) else None
            if host and not _PLACEHOLDER_HOST.search(host):
                return host[:SOURCE_NAME_LENGTH]
        name = shown_path(Path((self.root or import_root.resolve()).name))  # a Latin-1 name too
        return name[:SOURCE_NAME_LENGTH] or "files"

    def stored_path(self, import_root: Path, relative: PurePosixPath) -> PurePosixPath:
        """relative (to the folder named) as the site's own path: the same post has the same
        path whether the site, its posts folder or the post itself was named."""
        if self.root is None:
            return relative
        return PurePosixPath(import_root.resolve().relative_to(self.root).as_posix(), relative)

    def check_pattern(self, text: str) -> None:
        """Use text as the run's legacy URL pattern; PatternError (before any file is read) when it is wrong."""
        LegacyUrlPattern.parse(text or settings.NEWSROOM_LEGACY_URL_PATTERN)
        self.url_pattern = text

    def url_pattern_for(self, relative: PurePosixPath) -> tuple[LegacyUrlPattern, str]:
        """(the pattern of a post's old address, the base path to put before it): the run's
        own pattern, else the site's permalink rule for the post's section, else the default."""
        section = section_of(relative)
        if section not in self._patterns:
            self._patterns[section] = self._pattern(section)
        return self._patterns[section]

    def _pattern(self, section: str) -> tuple[LegacyUrlPattern, str]:
        rule = self.permalinks.get(section) or self.permalinks.get("")
        if rule and not self.url_pattern:
            try:
                return LegacyUrlPattern.parse(rule, self.generator), self.base_path
            except PatternError as error:
                self.problems.append(f"the site's permalink rule is not understood ({error}); '{{path}}' used")
        return LegacyUrlPattern.parse(self.url_pattern or settings.NEWSROOM_LEGACY_URL_PATTERN), ""

    def find_post(self, target: str, root: Path) -> Path | None:
        """The post file under root a template link names: Jekyll's post_url (2019-01-01-slug),
        link (_posts/2019-01-01-slug.md), Hugo's ref ("other.md", "/posts/other")."""
        if root not in self._posts:
            index = {}
            for path in sorted(root.rglob("*")):
                if path.suffix.lower() in (".md", ".markdown", ".html") and path.is_file():
                    relative = path.relative_to(root).with_suffix("").as_posix()
                    for name in (relative, path.stem, path.parent.name if path.stem == "index" else None):
                        if name:
                            index.setdefault(name.lower(), path)
            self._posts[root] = index
        name = target.strip().split("#", 1)[0].strip("/").lower()
        if not name:
            return None  # a same-page anchor ({{< ref "#x" >}}) names no post
        stem, suffix = posixpath.splitext(name)
        if suffix in (".md", ".markdown", ".html", ".htm"):  # not "python-3.11"'s ".11"
            name = stem
        index = self._posts[root]
        return index.get(name) or index.get(name.rsplit("/", 1)[-1])

    def defaults_for(self, path: Path, root: Path) -> dict:
        """Values every post in path's folder inherits: Eleventy directory data files and Hugo
        _index.md cascades from root down to the folder, the nearer one winning."""
        folder = path.parent
        if folder not in self._defaults:
            inherited = {} if folder == root or root not in folder.parents else self.defaults_for(folder, root)
            self._defaults[folder] = inherited | self._folder_data(folder)
        return self._defaults[folder]

    def _folder_data(self, folder: Path) -> dict:
        data = {}
        for name in (f"{folder.name}.json", f"{folder.name}.11tydata.json"):
            loaded = _read_json(folder / name, self.problems)
            if isinstance(loaded, dict):
                data |= folded(loaded, self.key_map)
        index = folder / "_index.md"
        if index.is_file():
            cascade = _read_cascade(index, self.problems)
            data |= folded(cascade, self.key_map)
        return data


def find_site(import_root: Path, key_map: dict[str, str] | None = None) -> SiteContext:
    """The site import_root belongs to: its config file in import_root or up to LEVELS_UP folders above."""
    folder = import_root.resolve()
    for candidate in [folder, *list(folder.parents)[:LEVELS_UP]]:
        for generator, names in CONFIG_FILES:
            for name in names:
                config_file = candidate / name
                if config_file.is_file():
                    return _site_from(generator, config_file, key_map or {})
    return SiteContext(key_map=key_map or {})


def _site_from(generator: str, config_file: Path, key_map: dict[str, str]) -> SiteContext:
    site = SiteContext(root=config_file.parent, generator=generator, key_map=key_map)
    config = _read_config(config_file, site.problems)
    site.config = folded(config)
    if generator == "jekyll":
        permalink = site.config.get("permalink") or "date"
        site.permalinks[""] = JEKYLL_STYLES.get(permalink, permalink) if isinstance(permalink, str) else ""
        site.base_path = _path_of(site.config.get("baseurl"))
        site.zone_name = _text(site.config.get("timezone")) or "UTC"
    elif generator == "hugo":
        permalinks = site.config.get("permalinks")
        if isinstance(permalinks, dict):
            # Hugo 0.120+ groups rules by page kind ([permalinks.page]); older configs do not.
            pages = permalinks.get("page")
            rules = pages if isinstance(pages, dict) else permalinks
            site.permalinks = {str(k): v for k, v in rules.items() if isinstance(v, str)}
        site.base_path = _path_of(urlsplit(_text(site.config.get("baseurl"))).path)
        site.zone_name = _text(site.config.get("timezone")) or "UTC"
    elif generator == "gatsby":
        site.permalinks[""] = "/{slug}/"  # gatsby-starter-blog: createFilePath() of the post's folder
    elif generator == "jigsaw":
        site.base_path = _path_of(urlsplit(_text(site.config.get("baseurl"))).path)
        posts_path = site.config.get("path")
        if isinstance(posts_path, str):
            site.permalinks[""] = "/" + posts_path.strip("/")
    if site_zone(site.zone_name) is None:
        site.problems.append(f"{config_file.name}: time zone {site.zone_name!r} is unknown; UTC used")
        site.zone_name = "UTC"
    return site


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _path_of(value) -> str:
    path = _text(value).strip("/")
    return f"/{path}" if path else ""


def _read_config(config_file: Path, problems: list[str]) -> dict:
    """The config's values; a config that cannot be read is a problem to report, not a failed run."""
    suffix = config_file.suffix
    if suffix in (".js", ".mjs", ".cjs", ".ts"):
        return {}  # code, not data: noticed for the generator's conventions only
    try:
        if config_file.stat().st_size > MAX_CONFIG_BYTES:
            raise ValueError(f"larger than {MAX_CONFIG_BYTES:,} bytes")
        text = config_file.read_text(encoding="utf-8", errors="replace")
        if suffix == ".php":
            return _php_values(text)
        if suffix == ".toml":
            data = tomllib.loads(text)
        elif suffix == ".json":
            data = json.loads(text)
        else:
            data = yaml.load(text, Loader=SafeLoader)  # noqa: S506 (SafeLoader: no Python tags)
    except (OSError, ValueError, yaml.YAMLError, tomllib.TOMLDecodeError) as error:
        problems.append(f"{config_file.name} could not be read ({error}); its settings are not used")
        return {}
    return data if isinstance(data, dict) else {}


def _php_values(text: str) -> dict:
    """'key' => 'value' pairs of a Jigsaw config.php, read as text (never run). A key given
    twice keeps its first value: the site's own settings come before its collections'."""
    values = {}
    for key, single, double, bare in _PHP_PAIR.findall(text):
        values.setdefault(key, single or double or bare)
    return values


def _read_json(path: Path, problems: list[str]):
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        problems.append(f"{path.name} (directory data) could not be read: {error}")
        return None


def _read_cascade(index: Path, problems: list[str]) -> dict:
    """Hugo's cascade: the values an _index.md gives every page below it (a mapping,
    or a list of mappings, of which those without a _target apply)."""
    try:
        text = index.read_text(encoding="utf-8")
        dialect, front, _ = split_front_matter(text)
        data = folded(load_front_matter(front, dialect))
    except Exception as error:  # noqa: BLE001 (any failure is reported, the posts still import)
        problems.append(f"{index.name}: its cascade could not be read ({error})")
        return {}
    cascade = data.get("cascade")
    items = cascade if isinstance(cascade, list) else [cascade]
    merged = {}
    for item in items:
        # A cascade with a target (_target, or target in newer Hugo) applies only to some pages: not read.
        if isinstance(item, dict) and "_target" not in item and "target" not in item:
            merged |= item
    return merged
