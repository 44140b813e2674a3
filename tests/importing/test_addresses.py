"""Old addresses from the site's own permalink rules, and slugs from file names.

Jekyll's :title is the slug from the file name and its 'pretty' style is
/:categories/:year/:month/:day/:title/ (https://jekyllrb.com/docs/permalinks/);
Hugo's :slug is the slug key, else the title, and its :title is the title
(https://gohugo.io/configuration/permalinks/)."""

import datetime as dt
import re
from pathlib import PurePosixPath

import pytest
from django.core.management import CommandError, call_command

from articles.importing import ImportOptions, import_paths
from articles.importing.addresses import PLACEHOLDERS, LegacyUrlPattern, PatternError, file_slug, placeholder_values
from articles.importing.dates import site_zone
from articles.models import Article

UTC = dt.UTC


def values(path="_posts/2019-03-07-spring-tides.md", *, published=dt.datetime(2019, 3, 7, 9, 5, tzinfo=UTC), **over):
    arguments = {
        "relative": PurePosixPath(path),
        "slug": "spring-tides",
        "own_slug": "",
        "title": "Spring Tides at Noon",
        "categories": ["Coast", "Sea Life"],
        "published": published,
        "zone": UTC,
    }
    return placeholder_values(**(arguments | over))


def address(pattern: str, generator: str = "", **over) -> str:
    return LegacyUrlPattern.parse(pattern, generator).format(values(**over))


# --- Parsing patterns ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "generator", "ours"),
    [
        ("/{year}/{month}/{slug}/", "", "/{year}/{month}/{slug}/"),
        ("/:year/:month/:day/:title/", "jekyll", "/{year}/{month}/{day}/{slug}/"),
        ("/:categories/:year/:title:output_ext", "jekyll", "/{categories}/{year}/{slug}{output_ext}"),
        ("/:slugified_categories/:name", "jekyll", "/{categories}/{filename}"),
        ("/:year/:slug/", "hugo", "/{year}/{slug_or_title}/"),
        ("/:year/:title/", "hugo", "/{year}/{title}/"),
        ("/:sections/:contentbasename/", "hugo", "/{section}/{folder}/"),
        ("/:slugorfilename/", "hugo", "/{slug}/"),
        ("/:title/", "", "/{title}/"),
        ("  /{slug}/  ", "", "/{slug}/"),
    ],
    ids=[
        "ours",
        "jekyll-title-is-file-slug",
        "jekyll-output-ext",
        "jekyll-renames",
        "hugo-slug",
        "hugo-title",
        "hugo-sections",
        "hugo-slugorfilename",
        "no-generator",
        "padded",
    ],
)
def test_generator_placeholders_become_ours(text, generator, ours):
    assert LegacyUrlPattern.parse(text, generator).text == ours


def test_jekyll_title_and_hugo_title_give_different_addresses():
    own = {"title": "Spring Tides at Noon", "slug": "spring-tides"}
    assert address("/:title/", "jekyll", **own) == "/spring-tides"
    assert address("/:title/", "hugo", **own) == "/spring-tides-at-noon"


def test_hugo_slug_is_the_slug_key_else_the_title():
    assert address("/:slug/", "hugo", own_slug="Low Water") == "/low-water"
    assert address("/:slug/", "hugo", own_slug="") == "/spring-tides-at-noon"


@pytest.mark.parametrize(
    ("text", "unknown"),
    [("/:year/:week/:title/", "week"), ("/{year}/{hour}/", "hour"), ("/{}/", "")],
    ids=["jekyll-week", "ours-hour", "empty-braces"],
)
def test_an_unknown_placeholder_is_named_and_the_known_ones_listed(text, unknown):
    with pytest.raises(PatternError) as caught:
        LegacyUrlPattern.parse(text, "jekyll")
    message = str(caught.value)
    assert f"unknown placeholder {{{unknown}}}" in message
    assert f"legacy URL pattern {text!r}" in message
    assert all("{" + name + "}" in message for name in PLACEHOLDERS)


def test_a_colon_before_capitals_is_literal_text():
    assert LegacyUrlPattern.parse("/:Title/", "jekyll").text == "/:Title/"


@pytest.mark.parametrize("text", ["/{year:04d}/{slug}/", "/{slug!r}/", "/{slug!s:>10}/"])
def test_format_specs_and_conversions_are_refused(text):
    with pytest.raises(PatternError, match="placeholders take no format spec"):
        LegacyUrlPattern.parse(text)


@pytest.mark.parametrize("text", ["/{slug/", "/slug}/", "/{year}{/"])
def test_unbalanced_braces_are_refused(text):
    with pytest.raises(PatternError, match=f"legacy URL pattern {text!r}"):
        LegacyUrlPattern.parse(text)


def test_attribute_and_index_lookups_are_refused():
    with pytest.raises(PatternError, match=r"unknown placeholder \{slug.upper\}"):
        LegacyUrlPattern.parse("/{slug.upper}/")


def test_pattern_errors_are_value_errors():
    assert issubclass(PatternError, ValueError)


# Issue #16: a pattern comes from the admin's form, the command line or the environment; str.format()
# on it would reach attributes (__class__.__mro__), items, or pad a path to 50 MB. parse() takes only
# whole placeholders, so format() only ever fills in known names with plain strings.
FORMAT_TRICKS = ["{path.__class__.__mro__}", "{path[0]}", "{path:>50000000}", "{0}", "{}", "{path!a}"]


@pytest.mark.parametrize("trick", FORMAT_TRICKS)
def test_a_pattern_is_placeholders_and_nothing_more(trick):
    with pytest.raises(PatternError, match=r"\Alegacy URL pattern '/old/" + re.escape(trick) + "': "):
        LegacyUrlPattern.parse(f"/old/{trick}")


@pytest.mark.django_db
@pytest.mark.parametrize("trick", FORMAT_TRICKS)
def test_the_command_refuses_such_a_pattern_before_reading_a_file(trick, tmp_path):
    (tmp_path / "post.md").write_text("---\ntitle: T\n---\nText\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"\Alegacy URL pattern"):
        call_command("import_legacy", str(tmp_path), legacy_url_pattern=f"/old/{trick}", verbosity=0)
    assert not Article.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("trick", FORMAT_TRICKS)
def test_such_a_pattern_in_the_settings_is_refused_too(trick, tmp_path, settings):
    settings.NEWSROOM_LEGACY_URL_PATTERN = f"/old/{trick}"
    (tmp_path / "post.md").write_text("---\ntitle: T\n---\nText\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"\Alegacy URL pattern"):
        call_command("import_legacy", str(tmp_path), verbosity=0)
    with pytest.raises(PatternError):
        import_paths([tmp_path], ImportOptions())
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("text", "needs_date"),
    [
        ("/{year}/{slug}/", True),
        ("/{month}/{slug}/", True),
        ("/{day}/{slug}/", True),
        ("/{short_year}/{slug}/", True),
        ("/{i_month}/{slug}/", True),
        pytest.param("/{i_day}/{slug}/", True),
        ("/:year/:y_day/:title/", True),
        ("/{slug}/", False),
        ("/{categories}/{title}{output_ext}", False),
        ("{path}", False),
    ],
)
def test_needs_date(text, needs_date):
    assert LegacyUrlPattern.parse(text, "jekyll").needs_date is needs_date


# --- Formatting --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("/:categories/:year/:month/:day/:title/", "/coast/sea-life/2019/03/07/spring-tides"),
        ("/:categories/:year/:month/:day/:title:output_ext", "/coast/sea-life/2019/03/07/spring-tides.html"),
        ("/:year/:y_day/:title:output_ext", "/2019/066/spring-tides.html"),
        ("/:short_year/:i_month/:i_day/:title", "/19/3/7/spring-tides"),
        ("blog/:title", "/blog/spring-tides"),
    ],
    ids=["pretty", "date", "ordinal", "short-forms", "no-leading-slash"],
)
def test_jekyll_styles_format_as_jekyll_builds_them(pattern, expected):
    assert address(pattern, "jekyll") == expected


def test_empty_segments_and_double_slashes_collapse():
    assert address("/:categories/:year/:title/", "jekyll", categories=[]) == "/2019/spring-tides"
    assert address("//blog///{slug}//", slug="x") == "/blog/x"


def test_a_pattern_that_formats_to_nothing_is_no_address():
    assert address("/{categories}/", categories=[]) == ""
    assert address("/", categories=[]) == ""


def test_format_writes_values_literally():
    pattern = LegacyUrlPattern.parse("/{slug}/")
    assert pattern.format({"slug": "a/{year}"}) == "/a/{year}"


# --- Slugs from file names -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "slug"),
    [
        ("_posts/2019-01-01-my-post.md", "my-post"),
        ("_posts/2019-01-01-My Post, Again!.markdown", "my-post-again"),
        ("posts/notes.md", "notes"),
        ("content/posts/low-water/index.md", "low-water"),
        ("content/posts/2019-01-01-low-water/index.md", "low-water"),
        ("content/posts/_index.md", "posts"),
        ("posts/Caf\u00e9 cr\u00e8me.md", "caf\u00e9-cr\u00e8me"),
        ("posts/top-10-beaches.md", "top-10-beaches"),
        ("posts/deadline.md", "deadline"),
    ],
    ids=[
        "jekyll",
        "punctuation",
        "plain",
        "bundle",
        "dated-bundle",
        "branch-bundle",
        "unicode",
        "digits",
        "hex-letters",
    ],
)
def test_file_slug(path, slug):
    assert file_slug(PurePosixPath(path)) == slug


@pytest.mark.parametrize(
    "path",
    [
        "posts/000_943a7872124e8bb8.md",
        "posts/5f3e2a1b-9c4d-4e8f-a7b6-0123456789ab.md",
        "posts/17.md",
        "posts/a.txt",
        "_posts/2019-01-01-42.md",
        "posts/ab-12.md",
    ],
    ids=["scraper-id", "uuid", "number", "one-letter", "date-and-number", "no-three-letter-word"],
)
def test_machine_names_give_no_slug(path):
    assert file_slug(PurePosixPath(path)) == ""


@pytest.mark.parametrize(("path", "slug"), [("_posts/2019-12-31-decade-2010.md", "decade-2010")])
def test_words_of_hex_letters_with_digits_are_still_words(path, slug):
    assert file_slug(PurePosixPath(path)) == slug


# --- Placeholder values ------------------------------------------------------------------------------


def test_placeholder_values_for_a_jekyll_post():
    assert values() == {
        "slug": "spring-tides",
        "title": "spring-tides-at-noon",
        "slug_or_title": "spring-tides-at-noon",
        "categories": "coast/sea-life",
        "filename": "2019-03-07-spring-tides",
        "path": "_posts/2019-03-07-spring-tides",
        "folder": "_posts",
        "section": "_posts",
        "output_ext": ".html",
        "year": "2019",
        "month": "03",
        "day": "07",
        "short_year": "19",
        "i_month": "3",
        "i_day": "7",
        "y_day": "066",
    }


def test_date_values_are_in_the_site_zone():
    late = dt.datetime(2019, 12, 31, 23, 30, tzinfo=UTC)
    local = values(published=late, zone=site_zone("Europe/Berlin"))
    assert (local["year"], local["month"], local["day"], local["y_day"]) == ("2020", "01", "01", "001")
    assert values(published=late)["year"] == "2019"


def test_without_a_date_the_date_values_are_empty():
    undated = values(published=None)
    assert {undated[name] for name in ("year", "month", "day", "short_year", "i_month", "i_day", "y_day")} == {""}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (
            "content/posts/low-water/index.md",
            {"path": "content/posts/low-water", "folder": "low-water", "section": "posts"},
        ),
        ("content/posts/2019/x.md", {"path": "content/posts/2019/x", "folder": "2019", "section": "posts"}),
        ("posts/x.md", {"path": "posts/x", "folder": "posts", "section": "posts"}),
        ("x.md", {"path": "x", "folder": "", "section": ""}),
        ("index.md", {"path": "", "folder": "", "section": ""}),
    ],
    ids=["bundle", "hugo-section", "no-content-folder", "root-file", "root-index"],
)
def test_path_folder_and_section(path, expected):
    found = values(path)
    assert {key: found[key] for key in expected} == expected


def test_a_page_at_the_top_of_content_has_no_section():
    assert values("content/about.md")["section"] == ""


def test_every_placeholder_has_a_value():
    assert set(values()) == set(PLACEHOLDERS)
    assert set(values(published=None)) == set(PLACEHOLDERS)
