"""Front matter in the generators' three dialects: splitting, loading, size limits, key folding.

Jekyll, Eleventy and Jigsaw write YAML between '---' lines; Hugo also writes TOML
between '+++' lines and a JSON object at the top of the file
(https://gohugo.io/content-management/front-matter/)."""

import datetime as dt
import math

import pytest

from articles.importing.frontmatter import (
    LegacyFileError,
    NoFrontMatter,
    folded,
    json_safe,
    load_front_matter,
    parse_key_map,
    split_front_matter,
)


def load(text: str) -> dict:
    """A whole file's front matter, split and loaded as the importer does."""
    dialect, front, _ = split_front_matter(text)
    return load_front_matter(front, dialect)


def refusal(text: str) -> str:
    with pytest.raises(LegacyFileError) as caught:
        load(text)
    return str(caught.value)


# --- Splitting ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "dialect", "front", "body"),
    [
        ("---\ntitle: Tides\n---\n\n<p>Body</p>\n", "yaml", "title: Tides\n", "<p>Body</p>\n"),
        ("---\ntitle: Tides\n...\nBody\n", "yaml", "title: Tides\n", "Body\n"),
        ('+++\ntitle = "Tides"\n+++\nBody\n', "toml", 'title = "Tides"\n', "Body\n"),
        ('{\n  "title": "Tides"\n}\n\nBody\n', "json", '{\n  "title": "Tides"\n}', "Body\n"),
    ],
    ids=["yaml", "yaml-closed-by-dots", "toml", "json"],
)
def test_each_dialect_is_told_by_its_opening(text, dialect, front, body):
    assert split_front_matter(text) == (dialect, front, body)


def test_json_body_may_start_right_after_the_object():
    assert split_front_matter('{"title": "Tides"}<p>High water</p>\n') == (
        "json",
        '{"title": "Tides"}',
        "<p>High water</p>\n",
    )


def test_json_object_may_contain_braces_in_its_strings():
    dialect, front, body = split_front_matter('{"title": "a } b", "tags": {"x": 1}}\nBody')
    assert load_front_matter(front, dialect) == {"title": "a } b", "tags": {"x": 1}}
    assert body == "Body"


def test_closing_line_at_the_end_of_the_file_leaves_an_empty_body():
    assert split_front_matter("---\ntitle: x\n---") == ("yaml", "title: x\n", "")


def test_a_horizontal_rule_in_the_body_is_not_taken_for_the_closing_line():
    dialect, front, body = split_front_matter("---\ntitle: x\n---\nOne\n\n---\n\nTwo\n")
    assert front == "title: x\n"
    assert body == "One\n\n---\n\nTwo\n"


def test_empty_front_matter_is_an_empty_mapping():
    assert load("---\n---\nBody\n") == {}


@pytest.mark.parametrize(
    "text",
    ["# A README\n", "<p>Just HTML</p>\n", "----\ntitle: four dashes\n----\n", " ---\ntitle: x\n---\n"],
    ids=["markdown", "html", "four-dashes", "indented-fence"],
)
def test_a_file_that_does_not_start_with_front_matter_is_no_post(text):
    with pytest.raises(NoFrontMatter, match="does not start with"):
        split_front_matter(text)


@pytest.mark.parametrize("text", ["", " \n\t\n"])
def test_an_empty_file_is_refused_not_skipped(text):
    with pytest.raises(LegacyFileError, match="empty file"):
        split_front_matter(text)


@pytest.mark.parametrize(
    ("text", "fence"),
    [("---\ntitle: Open\n\nBody\n", "'---'"), ('+++\ntitle = "Open"\n\nBody\n', "'+++'")],
    ids=["yaml", "toml"],
)
def test_unclosed_front_matter_names_the_missing_fence(text, fence):
    with pytest.raises(LegacyFileError, match="not closed") as caught:
        split_front_matter(text)
    assert fence in str(caught.value)


def test_toml_is_not_closed_by_a_yaml_fence():
    with pytest.raises(LegacyFileError, match=r"no second '\+\+\+' line"):
        split_front_matter('+++\ntitle = "x"\n---\nBody\n')


def test_malformed_json_front_matter_gives_the_line():
    with pytest.raises(LegacyFileError, match="malformed JSON front matter at line 3"):
        split_front_matter('{\n  "title": "x",\n  "date": 2019-03-07\n}\nBody')


@pytest.mark.parametrize("text", ["{% include header.html %}\n<p>Hi</p>\n", "{{ page.title }}\n"])
def test_a_template_tag_at_the_top_is_no_front_matter(text):
    with pytest.raises(NoFrontMatter):
        split_front_matter(text)


# --- Loading -------------------------------------------------------------------------------


def test_toml_native_datetimes_keep_their_offset_and_local_ones_stay_naive():
    data = load("+++\na = 2019-03-07T09:05:00+01:00\nb = 2019-03-07T09:05:00\nc = 2019-03-07\n+++\n")
    assert data["a"] == dt.datetime(2019, 3, 7, 9, 5, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert data["b"] == dt.datetime(2019, 3, 7, 9, 5)
    assert data["b"].tzinfo is None
    assert data["c"] == dt.date(2019, 3, 7)


def test_yaml_dates_are_dates_and_quoted_ones_stay_text():
    data = load("---\na: 2019-03-07\nb: '2019-03-07'\nc: 2019-03-07 09:05:00 +01:00\n---\n")
    assert data["a"] == dt.date(2019, 3, 7)
    assert data["b"] == "2019-03-07"
    assert data["c"] == dt.datetime(2019, 3, 7, 9, 5, tzinfo=dt.timezone(dt.timedelta(hours=1)))


@pytest.mark.parametrize(
    ("front", "kind"),
    [("---\n- one\n- two\n---\n", "list"), ("---\njust words\n---\n", "str")],
)
def test_front_matter_that_is_not_a_mapping_is_refused(front, kind):
    assert refusal(front) == f"front matter is a {kind}, not a mapping of keys to values"


def test_malformed_yaml_gives_the_line_in_the_file():
    # The error is on the front matter's third line: the file's fourth, after '---'.
    assert "at line 4" in refusal("---\ntitle: Fine\nsummary: ok\n  bad: indent\n---\n")


def test_python_tags_in_yaml_are_refused_not_run():
    message = refusal("---\ntitle: !!python/object/apply:os.system ['true']\n---\n")
    assert message.startswith("unsafe or unknown YAML tag at line 2")


def test_malformed_toml_is_a_legacy_file_error():
    assert refusal('+++\ntitle = "unterminated\n+++\n').startswith("malformed TOML front matter")


# --- Size limits (through the settings fixture) ------------------------------------------


def test_a_yaml_alias_bomb_is_refused(settings):
    settings.NEWSROOM_IMPORT_MAX_FRONT_MATTER_NODES = 1_000
    bomb = "---\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    bomb += "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n---\n"
    assert len(bomb) < 400
    assert refusal(bomb) == "front matter has more than 1,000 values (an alias bomb?)"


@pytest.mark.parametrize(
    "text",
    [
        "+++\ntags = [" + ", ".join(f'"t{n}"' for n in range(30)) + "]\n+++\n",
        '{"tags": [' + ", ".join(f'"t{n}"' for n in range(30)) + "]}\n",
    ],
    ids=["toml", "json"],
)
def test_the_value_budget_holds_for_toml_and_json_too(settings, text):
    settings.NEWSROOM_IMPORT_MAX_FRONT_MATTER_NODES = 20
    assert "more than 20 values" in refusal(text)


def test_front_matter_within_the_value_budget_loads(settings):
    settings.NEWSROOM_IMPORT_MAX_FRONT_MATTER_NODES = 20
    assert load("---\ntags: [a, b, c]\n---\n") == {"tags": ["a", "b", "c"]}


@pytest.mark.parametrize(
    "text",
    [
        "---\ntitle: " + "x" * 200 + "\n---\n",
        '+++\ntitle = "' + "x" * 200 + '"\n+++\n',
        '{"title": "' + "x" * 200 + '"}',
    ],
    ids=["yaml", "toml", "json"],
)
def test_front_matter_over_the_byte_limit_is_refused_in_every_dialect(settings, text):
    settings.NEWSROOM_IMPORT_MAX_FRONT_MATTER_BYTES = 100
    with pytest.raises(LegacyFileError, match="larger than 100 bytes"):
        split_front_matter(text)


def test_the_byte_limit_counts_utf8_bytes_not_characters(settings):
    settings.NEWSROOM_IMPORT_MAX_FRONT_MATTER_BYTES = 100
    text = "---\ntitle: " + "\u00e9" * 50 + "\n---\n"  # 58 characters, 108 bytes
    with pytest.raises(LegacyFileError, match="larger than 100 bytes"):
        split_front_matter(text)


def test_a_long_body_does_not_count_against_the_front_matter_limit(settings):
    settings.NEWSROOM_IMPORT_MAX_FRONT_MATTER_BYTES = 100
    _, front, body = split_front_matter("---\ntitle: x\n---\n" + "word " * 1000)
    assert front == "title: x\n"
    assert len(body) == 5000


# --- Folding keys ------------------------------------------------------------------------


def test_keys_are_folded_to_lower_case_at_every_depth():
    data = {"Title": "Tides", "Params": {"Author": "Ann", "Links": [{"URL": "/a"}]}, 2019: "year"}
    assert folded(data) == {"title": "Tides", "params": {"author": "Ann", "links": [{"url": "/a"}]}, 2019: "year"}


@pytest.mark.parametrize(
    "data",
    [{"title": "lower", "Title": "capital"}, {"Title": "capital", "title": "lower"}],
    ids=["lower-first", "capital-first"],
)
def test_the_lower_case_twin_wins_whatever_the_order(data):
    assert folded(data) == {"title": "lower"}


def test_a_site_key_map_renames_top_level_keys_and_replaces_ours():
    data = {"NewsTitle": "Theirs", "title": "Ours", "params": {"newstitle": "nested"}}
    assert folded(data, {"newstitle": "title"}) == {"title": "Theirs", "params": {"newstitle": "nested"}}


def test_a_key_map_for_a_missing_key_changes_nothing():
    assert folded({"title": "Ours"}, {"blurb": "description"}) == {"title": "Ours"}


def test_folding_does_not_change_the_original():
    data = {"Title": "x"}
    folded(data, {"title": "headline"})
    assert data == {"Title": "x"}


# --- The --map option ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("newstitle=title, blurb=description", {"newstitle": "title", "blurb": "description"}),
        ("NewsTitle = Title\nBlurb=Description\n", {"newstitle": "title", "blurb": "description"}),
        ("a=b,,", {"a": "b"}),
        ("", {}),
        (None, {}),
    ],
    ids=["commas", "newlines-and-case", "empty-parts", "empty", "none"],
)
def test_key_maps_are_read(text, expected):
    assert parse_key_map(text) == expected


@pytest.mark.parametrize("part", ["title", "=title", "newstitle=", " = "])
def test_a_key_map_part_without_both_sides_is_named_in_the_error(part):
    with pytest.raises(ValueError, match="is not of the form their_key=our_key") as caught:
        parse_key_map(f"blurb=description, {part}")
    assert f"'{part.strip()}'" in str(caught.value)


# --- JSON-safe copies ------------------------------------------------------------------------


def test_json_safe_turns_dates_sets_bytes_and_odd_keys_into_json():
    value = {
        "date": dt.date(2019, 3, 7),
        "at": dt.datetime(2019, 3, 7, 9, 5, tzinfo=dt.UTC),
        "time": dt.time(9, 5),
        "tags": ("a",),
        "raw": b"caf\xc3\xa9 \xff",
        2019: [math.nan, math.inf, -math.inf, 1.5],
    }
    assert json_safe(value) == {
        "date": "2019-03-07",
        "at": "2019-03-07T09:05:00+00:00",
        "time": "09:05:00",
        "tags": ["a"],
        "raw": "caf\u00e9 \ufffd",
        "2019": [None, None, None, 1.5],
    }


def test_json_safe_makes_sets_lists():
    assert json_safe({"tags": {"a"}}) == {"tags": ["a"]}
