"""What the site an archive came from says about its posts, from small site folders.

Config files as the generators document them: Jekyll's _config.yml (permalink,
baseurl, timezone), Hugo's hugo.toml/config.toml (baseURL, timeZone, [permalinks]
per section), Jigsaw's config.php (read as text); Eleventy's directory data files
(posts/posts.json, posts/posts.11tydata.json, the nearer folder winning:
https://www.11ty.dev/docs/data-template-dir/) and Hugo's _index.md cascade
(https://gohugo.io/configuration/cascade/)."""

import json
import pickle
from pathlib import Path, PurePosixPath

import pytest

from articles.importing.addresses import PatternError
from articles.importing.site import JEKYLL_STYLES, MAX_CONFIG_BYTES, SiteContext, find_site, section_of


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def pattern_for(site: SiteContext, relative: str) -> tuple[str, str]:
    pattern, base = site.url_pattern_for(PurePosixPath(relative))
    return pattern.text, base


# --- Finding the config ----------------------------------------------------------------------


def test_no_config_is_a_plain_site(tmp_path):
    site = find_site(tmp_path)
    assert (site.root, site.generator, site.config, site.zone_name, site.permalinks) == (None, "", {}, "UTC", {})
    assert site.problems == []
    assert pattern_for(site, "posts/x.md") == ("{path}", "")


@pytest.mark.parametrize("below", ["", "_posts", "_posts/2019"], ids=["same-folder", "one-up", "two-up"])
def test_the_config_is_found_in_the_folder_and_up_to_two_above(tmp_path, below):
    write(tmp_path / "site" / "_config.yml", "title: Tides\n")
    (tmp_path / "site" / below).mkdir(parents=True, exist_ok=True)
    site = find_site(tmp_path / "site" / below)
    assert site.generator == "jekyll"
    assert site.root == (tmp_path / "site").resolve()


def test_a_config_three_folders_up_is_not_this_site(tmp_path):
    write(tmp_path / "site" / "_config.yml", "title: Tides\n")
    deep = tmp_path / "site" / "a" / "b" / "c"
    deep.mkdir(parents=True)
    assert find_site(deep).generator == ""


def test_the_nearest_config_wins(tmp_path):
    write(tmp_path / "_config.yml", "title: Outer\n")
    write(tmp_path / "blog" / "hugo.toml", 'title = "Inner"\n')
    site = find_site(tmp_path / "blog")
    assert (site.generator, site.config["title"]) == ("hugo", "Inner")


CONFIG_TEXT = {
    ".yml": "title: {}\n",
    ".yaml": "title: {}\n",
    ".toml": "title = '{}'\n",
    ".php": "<?php return ['title' => '{}'];",
}


@pytest.mark.parametrize(
    ("names", "generator", "found"),
    [
        (["config.toml", "_config.yml"], "jekyll", "_config.yml"),
        (["config.toml", "hugo.toml"], "hugo", "hugo.toml"),
        (["config.php", "config.yaml"], "hugo", "config.yaml"),
    ],
    ids=["jekyll-first", "hugo-toml-before-config-toml", "hugo-before-jigsaw"],
)
def test_in_one_folder_the_first_known_config_is_read(tmp_path, names, generator, found):
    for name in names:
        write(tmp_path / name, CONFIG_TEXT[Path(name).suffix].format(name))
    site = find_site(tmp_path)
    assert (site.generator, site.config["title"]) == (generator, found)


def test_a_folder_named_like_a_config_is_not_one(tmp_path):
    (tmp_path / "_config.yml").mkdir()
    assert find_site(tmp_path).generator == ""


def test_the_key_map_travels_with_the_site(tmp_path):
    write(tmp_path / "site" / "_config.yml", "title: x\n")
    assert find_site(tmp_path / "site", {"blurb": "description"}).key_map == {"blurb": "description"}
    assert find_site(tmp_path / "elsewhere", {"a": "b"}).key_map == {"a": "b"}  # no config there


# --- Jekyll --------------------------------------------------------------------------------------


def test_jekyll_config_gives_permalink_base_path_and_zone(tmp_path):
    write(
        tmp_path / "_config.yml",
        "permalink: /:categories/:year/:title/\nbaseurl: /blog/\ntimezone: Europe/Berlin\nTitle: Tides\n",
    )
    site = find_site(tmp_path)
    assert site.permalinks == {"": "/:categories/:year/:title/"}
    assert site.base_path == "/blog"
    assert site.zone_name == "Europe/Berlin"
    assert str(site.zone) == "Europe/Berlin"
    assert site.config["title"] == "Tides"
    assert pattern_for(site, "_posts/2019-01-01-x.md") == ("/{categories}/{year}/{slug}/", "/blog")


@pytest.mark.parametrize(
    ("style", "ours"),
    [
        ("pretty", "/{categories}/{year}/{month}/{day}/{slug}/"),
        ("date", "/{categories}/{year}/{month}/{day}/{slug}{output_ext}"),
        ("ordinal", "/{categories}/{year}/{y_day}/{slug}{output_ext}"),
        ("none", "/{categories}/{slug}{output_ext}"),
    ],
)
def test_jekyll_named_permalink_styles(tmp_path, style, ours):
    write(tmp_path / "_config.yml", f"permalink: {style}\n")
    site = find_site(tmp_path)
    assert site.permalinks == {"": JEKYLL_STYLES[style]}
    assert pattern_for(site, "_posts/2019-01-01-x.md") == (ours, "")
    assert site.problems == []


def test_jekyll_without_a_permalink_uses_its_date_style(tmp_path):
    write(tmp_path / "_config.yml", "title: x\n")
    site = find_site(tmp_path)
    assert pattern_for(site, "_posts/x.md") == ("/{categories}/{year}/{month}/{day}/{slug}{output_ext}", "")


def test_a_permalink_rule_we_cannot_follow_is_a_problem_and_path_is_used(tmp_path):
    write(tmp_path / "_config.yml", "permalink: weekdate\n")  # :week and :short_day are not ours
    site = find_site(tmp_path)
    assert pattern_for(site, "_posts/x.md") == ("{path}", "")
    assert pattern_for(site, "_posts/y.md") == ("{path}", "")
    assert len(site.problems) == 1
    assert "the site's permalink rule is not understood" in site.problems[0]
    assert "unknown placeholder {week}" in site.problems[0]


def test_a_permalink_that_is_not_text_is_ignored(tmp_path):
    write(tmp_path / "_config.yml", "permalink:\n  posts: /x/\n")
    site = find_site(tmp_path)
    assert pattern_for(site, "_posts/x.md") == ("{path}", "")
    assert site.problems == []


# --- Hugo -----------------------------------------------------------------------------------------


HUGO_TOML = """\
baseURL = 'https://example.org/blog/'
timeZone = 'America/New_York'
title = 'Tides'

[permalinks]
  posts = '/:year/:month/:slug/'
  tutorials = '/training/:title/'
"""


def test_hugo_config_gives_permalinks_per_section_base_path_and_zone(tmp_path):
    write(tmp_path / "config.toml", HUGO_TOML)
    site = find_site(tmp_path / "content")
    assert site.generator == "hugo"
    assert site.base_path == "/blog"
    assert site.zone_name == "America/New_York"
    assert pattern_for(site, "content/posts/x.md") == ("/{year}/{month}/{slug_or_title}/", "/blog")
    assert pattern_for(site, "content/tutorials/deep/x.md") == ("/training/{title}/", "/blog")
    # A section without a rule keeps Hugo's default, the file's path, and no base path.
    assert pattern_for(site, "content/notes/x.md") == ("{path}", "")


def test_hugo_yaml_config_reads_the_same(tmp_path):
    write(
        tmp_path / "hugo.yaml",
        "baseURL: https://example.org/\ntimeZone: Asia/Kolkata\npermalinks:\n  posts: /:slug/\n",
    )
    site = find_site(tmp_path)
    assert (site.base_path, site.zone_name) == ("", "Asia/Kolkata")
    assert pattern_for(site, "posts/x.md") == ("/{slug_or_title}/", "")


def test_hugo_permalinks_by_page_kind(tmp_path):
    write(tmp_path / "hugo.toml", "[permalinks.page]\n  posts = '/articles/:year/:slug/'\n")
    site = find_site(tmp_path)
    assert pattern_for(site, "content/posts/x.md") == ("/articles/{year}/{slug_or_title}/", "")


def test_an_unknown_time_zone_is_a_problem_and_utc(tmp_path):
    write(tmp_path / "hugo.toml", "timeZone = 'Mars/Olympus_Mons'\n")
    site = find_site(tmp_path)
    assert site.zone_name == "UTC"
    assert str(site.zone) == "UTC"
    assert site.problems == ["hugo.toml: time zone 'Mars/Olympus_Mons' is unknown; UTC used"]


def test_a_zone_name_set_later_to_nonsense_still_gives_utc():
    assert str(SiteContext(zone_name="Nowhere/Land").zone) == "UTC"


# --- Jigsaw, Eleventy, Gatsby ------------------------------------------------------------------------


JIGSAW_PHP = """<?php

return [
    'production' => false,
    'baseUrl' => 'https://x.example/sub',
    "title" => "Tides",
    'collections' => [
        'posts' => [
            'path' => 'blog/{filename}',
            'title' => 'Collection title',
        ],
    ],
    'build' => exec('touch ' . __DIR__ . '/ran'),
];
"""


def test_jigsaw_config_php_is_read_as_text_never_run(tmp_path):
    write(tmp_path / "config.php", JIGSAW_PHP)
    (tmp_path / "source" / "_posts").mkdir(parents=True)
    site = find_site(tmp_path / "source" / "_posts")
    assert site.generator == "jigsaw"
    assert site.base_path == "/sub"
    assert site.config == {
        "production": "false",
        "baseurl": "https://x.example/sub",
        "title": "Tides",
        "path": "blog/{filename}",
    }
    assert pattern_for(site, "source/_posts/x.md") == ("/blog/{filename}", "/sub")
    assert not (tmp_path / "ran").exists()
    assert site.problems == []


def test_a_jigsaw_path_with_its_own_placeholders_is_a_problem(tmp_path):
    write(tmp_path / "config.php", "<?php return ['collections' => ['posts' => ['path' => '{collection}/{-title}']]];")
    site = find_site(tmp_path)
    assert pattern_for(site, "source/_posts/x.md") == ("{path}", "")
    assert "unknown placeholder {collection}" in site.problems[0]


@pytest.mark.parametrize(
    ("name", "generator", "permalinks"),
    [
        (".eleventy.js", "eleventy", {}),
        ("eleventy.config.mjs", "eleventy", {}),
        ("gatsby-config.js", "gatsby", {"": "/{slug}/"}),
        ("next.config.js", "next", {}),
    ],
)
def test_javascript_configs_are_only_noticed(tmp_path, name, generator, permalinks):
    write(tmp_path / name, "module.exports = { pathPrefix: '/blog', permalink: '/:year/' };\n")
    site = find_site(tmp_path)
    assert (site.generator, site.config, site.permalinks, site.base_path) == (generator, {}, permalinks, "")
    assert site.problems == []


# --- Configs that cannot be read -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "generator"),
    [
        ("_config.yml", "title: [unclosed\n", "jekyll"),
        ("_config.yml", "title: !!python/object/apply:os.system ['true']\n", "jekyll"),
        ("config.toml", "title = 'unclosed\n", "hugo"),
        ("hugo.json", '{"title": }', "hugo"),
    ],
    ids=["yaml", "yaml-python-tag", "toml", "json"],
)
def test_a_config_that_cannot_be_read_is_a_problem_not_a_failure(tmp_path, name, text, generator):
    write(tmp_path / name, text)
    site = find_site(tmp_path)
    assert (site.generator, site.config, site.zone_name) == (generator, {}, "UTC")
    assert len(site.problems) == 1
    assert site.problems[0].startswith(f"{name} could not be read (")
    assert site.problems[0].endswith("); its settings are not used")


def test_a_config_larger_than_the_limit_is_not_read(tmp_path):
    write(tmp_path / "_config.yml", "permalink: pretty\n" + "#" * MAX_CONFIG_BYTES)
    site = find_site(tmp_path)
    assert site.permalinks == {"": JEKYLL_STYLES["date"]}
    assert "larger than 262,144 bytes" in site.problems[0]


def test_a_config_that_is_not_a_mapping_is_empty(tmp_path):
    write(tmp_path / "_config.yml", "- one\n- two\n")
    site = find_site(tmp_path)
    assert (site.generator, site.config, site.problems) == ("jekyll", {}, [])


def test_a_config_in_another_encoding_is_still_read(tmp_path):
    (tmp_path / "_config.yml").write_bytes(b"title: Caf\xe9\ntimezone: Europe/Paris\n")
    site = find_site(tmp_path)
    assert site.zone_name == "Europe/Paris"
    assert site.config["title"] == "Caf\ufffd"


# --- The run's own pattern ----------------------------------------------------------------------------


def test_check_pattern_keeps_a_good_pattern_and_refuses_a_bad_one():
    site = SiteContext()
    site.check_pattern("/news/{year}/{slug}/")
    assert site.url_pattern == "/news/{year}/{slug}/"
    with pytest.raises(PatternError, match=r"unknown placeholder \{author\}"):
        site.check_pattern("/{author}/{slug}/")
    assert site.url_pattern == "/news/{year}/{slug}/"


def test_check_pattern_without_a_pattern_checks_the_setting(settings):
    settings.NEWSROOM_LEGACY_URL_PATTERN = "/{nonsense}/"
    with pytest.raises(PatternError, match=r"\{nonsense\}"):
        SiteContext().check_pattern("")


def test_the_runs_own_pattern_wins_over_the_sites_rules_without_a_base_path(tmp_path):
    write(tmp_path / "_config.yml", "permalink: pretty\nbaseurl: /blog\n")
    site = find_site(tmp_path)
    site.check_pattern("/archive/:year/:title/")
    assert pattern_for(site, "_posts/x.md") == ("/archive/{year}/{title}/", "")


def test_the_default_pattern_comes_from_settings(settings):
    settings.NEWSROOM_LEGACY_URL_PATTERN = "/old/{slug}/"
    assert pattern_for(SiteContext(), "posts/x.md") == ("/old/{slug}/", "")


def test_a_site_survives_pickling_for_the_workers(tmp_path):
    write(tmp_path / "config.toml", HUGO_TOML)
    site = find_site(tmp_path)
    site.url_pattern_for(PurePosixPath("content/posts/x.md"))
    copy = pickle.loads(pickle.dumps(site))  # noqa: S301 (our own object, just made)
    assert (copy.generator, copy.base_path, str(copy.zone)) == ("hugo", "/blog", "America/New_York")
    assert pattern_for(copy, "content/posts/y.md") == ("/{year}/{month}/{slug_or_title}/", "/blog")


# --- Directory data and cascades ----------------------------------------------------------------------


def data_file(path: Path, data: dict) -> None:
    write(path, json.dumps(data))


def test_eleventy_directory_data_applies_below_and_the_nearer_folder_wins(tmp_path):
    data_file(tmp_path / "posts" / "posts.json", {"layout": "post", "Tags": ["posts"], "author": "Ann"})
    data_file(tmp_path / "posts" / "2019" / "2019.json", {"tags": ["old"]})
    site = SiteContext()
    deep = site.defaults_for(tmp_path / "posts" / "2019" / "x.md", tmp_path)
    assert deep == {"layout": "post", "tags": ["old"], "author": "Ann"}
    assert site.defaults_for(tmp_path / "posts" / "x.md", tmp_path) == {
        "layout": "post",
        "tags": ["posts"],
        "author": "Ann",
    }


def test_eleventy_11tydata_wins_over_plain_json_in_the_same_folder(tmp_path):
    data_file(tmp_path / "posts" / "posts.json", {"layout": "plain", "author": "Ann"})
    data_file(tmp_path / "posts" / "posts.11tydata.json", {"layout": "eleventy"})
    assert SiteContext().defaults_for(tmp_path / "posts" / "x.md", tmp_path) == {"layout": "eleventy", "author": "Ann"}


def test_data_files_named_for_another_folder_do_not_apply(tmp_path):
    data_file(tmp_path / "posts" / "blog.json", {"layout": "wrong"})
    data_file(tmp_path / "posts" / "x.json", {"layout": "template-data"})
    assert SiteContext().defaults_for(tmp_path / "posts" / "x.md", tmp_path) == {}


def test_directory_data_above_the_import_root_is_not_read(tmp_path):
    data_file(tmp_path / "site" / "site.json", {"layout": "outside"})
    root = tmp_path / "site" / "posts"
    data_file(root / "posts.json", {"author": "Ann"})
    assert SiteContext().defaults_for(root / "x.md", root) == {"author": "Ann"}


def test_directory_data_keys_are_folded_and_mapped(tmp_path):
    data_file(tmp_path / "posts" / "posts.json", {"Blurb": "Default", "Author": "Ann"})
    site = SiteContext(key_map={"blurb": "description"})
    assert site.defaults_for(tmp_path / "posts" / "x.md", tmp_path) == {"description": "Default", "author": "Ann"}


def test_broken_directory_data_is_a_problem_and_left_out(tmp_path):
    write(tmp_path / "posts" / "posts.json", "{not json")
    data_file(tmp_path / "posts" / "posts.11tydata.json", {"author": "Ann"})
    site = SiteContext()
    assert site.defaults_for(tmp_path / "posts" / "x.md", tmp_path) == {"author": "Ann"}
    assert len(site.problems) == 1
    assert site.problems[0].startswith("posts.json (directory data) could not be read:")


def test_directory_data_that_is_not_a_mapping_is_left_out_quietly(tmp_path):
    write(tmp_path / "posts" / "posts.json", '["a", "list"]')
    site = SiteContext()
    assert site.defaults_for(tmp_path / "posts" / "x.md", tmp_path) == {}
    assert site.problems == []


@pytest.mark.parametrize(
    "front",
    [
        "---\ntitle: Posts\ncascade:\n  layout: story\n  Params:\n    Color: red\n---\n",
        "+++\ntitle = 'Posts'\n[cascade]\nlayout = 'story'\n[cascade.params]\ncolor = 'red'\n+++\n",
        '{"title": "Posts", "cascade": {"layout": "story", "params": {"color": "red"}}}\n',
    ],
    ids=["yaml", "toml", "json"],
)
def test_hugo_cascade_mapping_applies_below(tmp_path, front):
    write(tmp_path / "content" / "posts" / "_index.md", front)
    site = SiteContext()
    expected = {"layout": "story", "params": {"color": "red"}}
    assert site.defaults_for(tmp_path / "content" / "posts" / "x.md", tmp_path) == expected
    assert site.defaults_for(tmp_path / "content" / "posts" / "sub" / "y.md", tmp_path) == expected
    assert site.defaults_for(tmp_path / "content" / "other" / "z.md", tmp_path) == {}


def test_hugo_cascade_list_applies_the_entries_without_a_target(tmp_path):
    write(
        tmp_path / "content" / "posts" / "_index.md",
        "+++\n[[cascade]]\nlayout = 'story'\n[[cascade]]\nbanner = 'special.jpg'\n"
        "[cascade._target]\npath = '/posts/special/**'\n[[cascade]]\nauthor = 'Ann'\n+++\n",
    )
    site = SiteContext()
    assert site.defaults_for(tmp_path / "content" / "posts" / "x.md", tmp_path) == {"layout": "story", "author": "Ann"}


def test_hugo_cascade_mapping_with_a_target_does_not_apply_everywhere(tmp_path):
    write(
        tmp_path / "content" / "_index.md",
        "---\ncascade:\n  banner: special.jpg\n  _target:\n    path: /posts/special/**\n---\n",
    )
    assert SiteContext().defaults_for(tmp_path / "content" / "notes" / "x.md", tmp_path) == {}


def test_the_nearer_cascade_wins(tmp_path):
    write(tmp_path / "content" / "_index.md", "---\ncascade:\n  layout: page\n  author: Ann\n---\n")
    write(tmp_path / "content" / "posts" / "_index.md", "---\ncascade:\n  layout: story\n---\n")
    site = SiteContext()
    assert site.defaults_for(tmp_path / "content" / "posts" / "x.md", tmp_path) == {"layout": "story", "author": "Ann"}


def test_an_index_without_a_cascade_gives_nothing(tmp_path):
    write(tmp_path / "posts" / "_index.md", "---\ntitle: Posts\nlayout: list\n---\n")
    assert SiteContext().defaults_for(tmp_path / "posts" / "x.md", tmp_path) == {}


@pytest.mark.parametrize(
    "text",
    ["---\ncascade: [unclosed\n---\n", "No front matter here\n", "---\ncascade:\n  layout: x\n"],
    ids=["broken-yaml", "no-front-matter", "unclosed"],
)
def test_a_cascade_that_cannot_be_read_is_a_problem(tmp_path, text):
    write(tmp_path / "posts" / "_index.md", text)
    data_file(tmp_path / "posts" / "posts.json", {"author": "Ann"})
    site = SiteContext()
    assert site.defaults_for(tmp_path / "posts" / "x.md", tmp_path) == {"author": "Ann"}
    assert len(site.problems) == 1
    assert site.problems[0].startswith("_index.md: its cascade could not be read (")


def test_hugo_cascade_after_eleventy_data_in_the_same_folder(tmp_path):
    data_file(tmp_path / "posts" / "posts.json", {"layout": "json", "author": "Ann"})
    write(tmp_path / "posts" / "_index.md", "---\ncascade:\n  layout: cascade\n---\n")
    assert SiteContext().defaults_for(tmp_path / "posts" / "x.md", tmp_path) == {"layout": "cascade", "author": "Ann"}


def test_defaults_are_read_once_per_folder(tmp_path):
    data_file(tmp_path / "posts" / "posts.json", {"author": "Ann"})
    site = SiteContext()
    site.defaults_for(tmp_path / "posts" / "x.md", tmp_path)
    data_file(tmp_path / "posts" / "posts.json", {"author": "Changed"})
    assert site.defaults_for(tmp_path / "posts" / "y.md", tmp_path) == {"author": "Ann"}


# --- Finding linked posts -------------------------------------------------------------------------------


@pytest.fixture
def posts_root(tmp_path):
    for name in (
        "_posts/2019-01-01-hello.md",
        "content/posts/other.md",
        "content/posts/bundle/index.md",
        "content/posts/Mixed-Case.markdown",
        "notes.txt",
    ):
        write(tmp_path / name, "---\ntitle: x\n---\n")
    return tmp_path


@pytest.mark.parametrize(
    ("target", "found"),
    [
        ("2019-01-01-hello", "_posts/2019-01-01-hello.md"),  # Jekyll's post_url
        ("_posts/2019-01-01-hello.md", "_posts/2019-01-01-hello.md"),  # Jekyll's link
        (" /_posts/2019-01-01-hello.md ", "_posts/2019-01-01-hello.md"),
        ("other.md", "content/posts/other.md"),  # Hugo's ref by name
        ("/posts/other", "content/posts/other.md"),  # Hugo's ref by path
        ("/content/posts/other/", "content/posts/other.md"),
        ("other.md#tides", "content/posts/other.md"),
        ("bundle", "content/posts/bundle/index.md"),
        ("posts/bundle", "content/posts/bundle/index.md"),
        ("MIXED-case", "content/posts/Mixed-Case.markdown"),
    ],
)
def test_find_post(posts_root, target, found):
    assert SiteContext().find_post(target, posts_root) == posts_root / found


@pytest.mark.parametrize("target", ["missing", "notes", "2019-01-02-hello"])
def test_find_post_without_a_match_is_none(posts_root, target):
    assert SiteContext().find_post(target, posts_root) is None


@pytest.mark.parametrize("target", ["#tides", "/", ""])
def test_find_post_for_a_target_without_a_name_is_none(posts_root, target):
    assert SiteContext().find_post(target, posts_root) is None


def test_find_post_with_a_dot_in_the_name(tmp_path):
    write(tmp_path / "_posts" / "2019-01-01-python-3.11.md", "---\ntitle: x\n---\n")
    assert (
        SiteContext().find_post("2019-01-01-python-3.11", tmp_path) == tmp_path / "_posts" / "2019-01-01-python-3.11.md"
    )


# --- Sections ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "section"),
    [
        ("content/posts/x.md", "posts"),
        ("content/posts/2019/x.md", "posts"),
        ("site/content/tutorials/x.md", "tutorials"),
        ("content/about.md", ""),
        ("posts/x.md", "posts"),
        ("x.md", ""),
    ],
)
def test_section_of(path, section):
    assert section_of(PurePosixPath(path)) == section
