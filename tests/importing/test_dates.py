"""When a legacy post was published: dates as the generators read them.

Jekyll takes a lenient 'YYYY-MM-DD HH:MM:SS +/-TTTT' and a date from the post's
YYYY-MM-DD-title file name; Hugo reads publishDate before date for the publish date
(https://gohugo.io/configuration/front-matter/#dates); Eleventy's date may be one of
the words 'Last Modified' or 'Created' (https://www.11ty.dev/docs/dates/). A value
without a zone is in the site's time zone."""

import datetime as dt
from pathlib import PurePosixPath

import pytest

from articles.importing.dates import date_from_path, parse_date, post_date, site_zone
from articles.importing.frontmatter import LegacyFileError

UTC = dt.UTC
BERLIN = site_zone("Europe/Berlin")
NOWHERE = PurePosixPath("posts/notes.md")  # a path that gives no date


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


# --- parse_date ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1552000000, at(2019, 3, 7, 23, 6, 40)),
        (1552000000.5, at(2019, 3, 7, 23, 6, 40, 500000)),
        ("1552000000", at(2019, 3, 7, 23, 6, 40)),
        (" 1552000000 ", at(2019, 3, 7, 23, 6, 40)),
        (0, at(1970, 1, 1)),
    ],
    ids=["int", "float", "string", "padded-string", "zero"],
)
def test_epoch_seconds_are_utc_whatever_the_site_zone(value, expected):
    assert parse_date(value, BERLIN) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019-03-07T09:05:00+01:00", at(2019, 3, 7, 8, 5)),
        ("2019-03-07T09:05:00+05:30", at(2019, 3, 7, 3, 35)),
        ("2019-03-07T09:05:00-07:00", at(2019, 3, 7, 16, 5)),
        ("2019-03-07T09:05:00Z", at(2019, 3, 7, 9, 5)),
        ("2019-03-07 09:05:00.250+00:00", at(2019, 3, 7, 9, 5, 0, 250000)),
    ],
    ids=["plus-one", "plus-five-thirty", "minus-seven", "zulu", "fraction"],
)
def test_iso_8601_with_a_zone_keeps_its_zone(value, expected):
    assert parse_date(value, BERLIN) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019-03-07", at(2019, 3, 6, 23)),
        ("2019-03-07T09:05:00", at(2019, 3, 7, 8, 5)),
        ("2019-07-07 09:05", at(2019, 7, 7, 7, 5)),  # summer time: UTC+2
    ],
    ids=["date", "datetime", "summer"],
)
def test_a_value_without_a_zone_is_read_in_the_site_zone(value, expected):
    assert parse_date(value, BERLIN) == expected


def test_the_zone_defaults_to_utc():
    assert parse_date("2019-03-07T09:05:00") == at(2019, 3, 7, 9, 5)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2009-3-7 9:05:00 +0100", at(2009, 3, 7, 8, 5)),
        ("2009-3-7 9:05:00 +05:30", at(2009, 3, 7, 3, 35)),
        ("2009-03-07 09:05:00 -0130", at(2009, 3, 7, 10, 35)),
        ("2009-3-7 9:05 Z", at(2009, 3, 7, 9, 5)),
        ("2009-3-7 9:05:00 UTC", at(2009, 3, 7, 9, 5)),
        ("2009-03-07 09:05:00 gmt", at(2009, 3, 7, 9, 5)),
        ("2009-3-7", at(2009, 3, 6, 23)),
        ("2009-3-7 9:05", at(2009, 3, 7, 8, 5)),
        ("2019-03-07 09:05:00.123456789 UTC", at(2019, 3, 7, 9, 5, 0, 123456)),
    ],
    ids=[
        "jekyll-docs-example",
        "half-hour-zone",
        "negative-half-hour",
        "z",
        "utc-word",
        "gmt-word",
        "one-digit-month-and-day",
        "no-seconds-site-zone",
        "nanoseconds-cut-to-micro",
    ],
)
def test_jekyll_lenient_dates(value, expected):
    assert parse_date(value, BERLIN) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2019, 3, 7), at(2019, 3, 6, 23)),
        (dt.datetime(2019, 3, 7, 9, 5), at(2019, 3, 7, 8, 5)),
        (dt.datetime(2019, 3, 7, 9, 5, tzinfo=dt.timezone(dt.timedelta(hours=-5))), at(2019, 3, 7, 14, 5)),
    ],
    ids=["date", "naive-datetime", "aware-datetime"],
)
def test_yaml_and_toml_native_values(value, expected):
    assert parse_date(value, BERLIN) == expected


def test_toml_offset_datetime_from_front_matter_keeps_its_offset():
    import tomllib

    data = tomllib.loads("date = 2019-03-07T09:05:00+05:30\nlocal = 2019-03-07T09:05:00")
    assert parse_date(data["date"], BERLIN) == at(2019, 3, 7, 3, 35)
    assert parse_date(data["local"], BERLIN) == at(2019, 3, 7, 8, 5)


def test_the_result_is_aware_utc():
    result = parse_date("2019-03-07T09:05:00+05:30")
    assert result.utcoffset() == dt.timedelta(0)
    assert result.tzinfo is UTC


@pytest.mark.parametrize("value", [None, ""])
def test_no_value_is_no_date(value):
    assert parse_date(value, BERLIN) is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2019-02-30", "is not a real date"),
        ("2019-2-30 10:00", "is not a real date"),
        ("2019-13-01 10:00", "is not a real date"),
        ("yesterday", "is not an epoch number or an ISO 8601 date"),
        ("07/03/2019", "is not an epoch number or an ISO 8601 date"),
        (True, "is not a date"),
        (False, "is not a date"),
        (dt.time(9, 5), "'09:05:00' is not a date"),
        (["2019-03-07"], "is not a date"),
        (1e20, "is out of range"),
        (float("nan"), "is out of range"),
    ],
    ids=[
        "feb-30",
        "lenient-feb-30",
        "month-13",
        "words",
        "slashes",
        "true",
        "false",
        "toml-local-time",
        "list",
        "far-future",
        "nan",
    ],
)
def test_what_is_not_a_date_is_refused_with_the_reason(value, message):
    with pytest.raises(LegacyFileError, match=message):
        parse_date(value, BERLIN)


# --- site_zone -------------------------------------------------------------------------------


def test_a_known_zone_name_is_a_zone():
    assert site_zone("America/New_York").utcoffset(dt.datetime(2019, 1, 1)) == dt.timedelta(hours=-5)


@pytest.mark.parametrize("name", [None, "", "Mars/Olympus_Mons", "../../etc/passwd", 5])
def test_an_unset_or_unknown_zone_is_none(name):
    assert site_zone(name) is None


# --- date_from_path ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected", "source"),
    [
        ("_posts/2019-10-01-my-post.md", at(2019, 9, 30, 22), "file name"),
        ("_posts/2019-10-01.md", at(2019, 9, 30, 22), "file name"),
        ("content/posts/2019-10-01-bundle/index.md", at(2019, 9, 30, 22), "file name"),
        ("content/posts/2019-10-01-section/_index.md", at(2019, 9, 30, 22), "file name"),
        ("blog/2019/10/01/my-post.md", at(2019, 9, 30, 22), "folder"),
        ("blog/2019/10/my-post.md", at(2019, 9, 30, 22), "folder"),
        ("2019/3/7/my-post.md", at(2019, 3, 6, 23), "folder"),
    ],
    ids=["jekyll-name", "date-only-name", "bundle", "branch-bundle", "year-month-day", "year-month", "short-folders"],
)
def test_dates_from_names_and_folders_are_midnight_in_the_site_zone(path, expected, source):
    assert date_from_path(PurePosixPath(path), BERLIN) == (expected, source)


def test_the_file_name_wins_over_the_folders():
    assert date_from_path(PurePosixPath("2018/01/01/2019-10-01-post.md")) == (at(2019, 10, 1), "file name")


@pytest.mark.parametrize(
    "path",
    [
        "posts/my-post.md",
        "posts/2019-10-my-post.md",
        "posts/20191001-post.md",
        "posts/my-2019-10-01-post.md",
        "posts/2019-10-01x.md",
        "posts/bundle-2019-10-01/index.md",
        "posts/v2019/10/post.md",
        "posts/2019/100/post.md",
    ],
)
def test_names_and_folders_without_a_date_give_none(path):
    assert date_from_path(PurePosixPath(path)) == (None, "")


def test_an_impossible_date_in_the_name_falls_through_to_the_folder():
    assert date_from_path(PurePosixPath("2019/02/2019-02-30-post.md")) == (at(2019, 2, 1), "folder")


def test_an_impossible_folder_date_is_skipped_for_a_later_one():
    assert date_from_path(PurePosixPath("2019/13/archive/2018/05/post.md")) == (at(2018, 5, 1), "folder")


def test_the_folder_name_counts_only_for_index_files():
    assert date_from_path(PurePosixPath("2019-10-01-folder/other.md")) == (None, "")


# --- post_date --------------------------------------------------------------------------------


def first_date(data, path=NOWHERE, generator=""):
    warnings = []
    found = post_date(data, PurePosixPath(path), UTC, warnings, generator=generator)
    return found, warnings


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"date": "2019-01-01", "published": "2019-02-02", "publishdate": "2019-03-03"}, "date"),
        ({"published": "2019-02-02", "published_at": "2019-03-03"}, "published"),
        ({"published_at": "2019-03-03", "pubdate": "2019-04-04"}, "published_at"),
        ({"pubdate": "2019-04-04", "publishdate": "2019-05-05"}, "pubdate"),
        ({"publishdate": "2019-05-05"}, "publishdate"),
    ],
)
def test_front_matter_keys_are_read_in_order(data, key):
    (found, source), _ = first_date(data)
    assert source == f"'{key}'"
    assert found == parse_date(data[key])


def test_hugo_reads_publishdate_before_date():
    data = {"date": "2019-01-01", "publishdate": "2019-05-05"}
    assert first_date(data, generator="hugo")[0] == (at(2019, 5, 5), "'publishdate'")
    assert first_date(data, generator="jekyll")[0] == (at(2019, 1, 1), "'date'")


def test_hugo_reads_its_publishdate_aliases_before_date():
    data = {"date": "2019-01-01", "pubdate": "2019-04-04"}
    assert first_date(data, generator="hugo")[0] == (at(2019, 4, 4), "'pubdate'")


@pytest.mark.parametrize("flag", [True, False])
def test_jekyll_published_flag_is_not_a_date(flag):
    (found, source), warnings = first_date({"published": flag, "pubdate": "2019-04-04"})
    assert (found, source) == (at(2019, 4, 4), "'pubdate'")
    assert warnings == []


def test_a_published_flag_alone_leaves_the_file_name_to_give_the_date():
    assert first_date({"published": True}, "_posts/2019-10-01-x.md")[0] == (at(2019, 10, 1), "file name")


@pytest.mark.parametrize("words", ["Last Modified", "created", "git Last Modified", " git Created "])
def test_eleventy_file_time_words_fall_through_with_a_warning(words):
    (found, source), warnings = first_date({"date": words}, "posts/2019-10-01-x.md")
    assert (found, source) == (at(2019, 10, 1), "file name")
    assert warnings == [f"'date: {words}' means the file's own time, which an archive does not keep"]


def test_eleventy_words_then_a_later_key():
    (found, source), warnings = first_date({"date": "Last Modified", "published_at": "2019-03-03"})
    assert (found, source) == (at(2019, 3, 3), "'published_at'")
    assert len(warnings) == 1


def test_an_empty_date_key_falls_through():
    assert first_date({"date": "", "pubdate": None}, "2019/10/x.md")[0] == (at(2019, 10, 1), "folder")


def test_a_broken_date_is_an_error_not_a_fall_through():
    with pytest.raises(LegacyFileError, match="not a real date"):
        first_date({"date": "2019-02-30"}, "_posts/2019-10-01-x.md")


def test_nothing_anywhere_is_no_date():
    assert first_date({"title": "x"}) == ((None, ""), [])


def test_front_matter_dates_use_the_site_zone():
    warnings = []
    found = post_date({"date": "2019-03-07 09:05"}, NOWHERE, BERLIN, warnings)
    assert found == (at(2019, 3, 7, 8, 5), "'date'")
