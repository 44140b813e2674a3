"""The importer's authors: each name under author/authors becomes an Author, created once and found again by slug."""

from pathlib import Path

import pytest

from articles.importing import ImportOptions, import_paths
from articles.models import Article, Author
from tests.factories import make_author
from tests.importing.samples import post, write

pytestmark = pytest.mark.django_db


def run(folder: Path, **options):
    report = import_paths([folder], ImportOptions(**options))
    assert not report.failed, [(f.path, f.error) for f in report.files]
    return report


def credits() -> dict[str, tuple[list[str], str]]:
    """Each article's authors (names, in order) and byline, by title."""
    return {
        article.title: ([author.name for author in article.author_list], article.byline)
        for article in Article.objects.with_authors()
    }


def test_authors_are_created_once_and_reused_across_files(tmp_path):
    write(tmp_path, "a.md", post("title: One\ndate: 2021-01-01\nauthor: Ann Lee"))
    write(tmp_path, "b.md", post("title: Two\ndate: 2021-01-02\nauthors: [Bo Ek, ann lee]"))
    write(tmp_path, "c.md", post("title: Three\ndate: 2021-01-03\nauthors: Cy Young, Bo Ek"))
    write(tmp_path, "d.md", post("title: Four\ndate: 2021-01-04\nbyline: Reuters"))
    run(tmp_path)
    assert sorted(Author.objects.values_list("name", "slug")) == [
        ("Ann Lee", "ann-lee"),
        ("Bo Ek", "bo-ek"),
        ("Cy Young", "cy-young"),
    ]
    assert credits() == {
        "One": (["Ann Lee"], ""),
        "Two": (["Bo Ek", "Ann Lee"], ""),  # the existing row, by slug, whatever the case
        "Three": (["Cy Young", "Bo Ek"], ""),
        "Four": ([], "Reuters"),
    }


def test_an_existing_author_is_reused_and_kept_as_the_editors_wrote_it(tmp_path):
    ann = make_author("Ann Lee", role="Health correspondent", bio="Written in Newsroom.")
    write(tmp_path, "a.md", post("title: One\ndate: 2021-01-01\nauthor: {name: ANN LEE, email: ann@example.org}"))
    run(tmp_path)
    assert Author.objects.get() == ann
    ann.refresh_from_db()
    assert (ann.name, ann.role, ann.bio) == ("Ann Lee", "Health correspondent", "Written in Newsroom.")
    assert credits() == {"One": (["Ann Lee"], "")}


def test_a_second_run_changes_the_authors_as_the_file_now_names_them(tmp_path):
    path = write(tmp_path, "a.md", post("title: One\ndate: 2021-01-01\nauthors: [Ann Lee, Bo Ek]"))
    run(tmp_path)
    path.write_text(post("title: One\ndate: 2021-01-01\nauthors: [Bo Ek, Cy Young]"), encoding="utf-8")
    report = run(tmp_path)
    assert report.counts["updated"] == 1
    assert credits() == {"One": (["Bo Ek", "Cy Young"], "")}
    assert Author.objects.count() == 3  # Ann Lee stays, with her page, though this file no longer names her


def test_a_dry_run_creates_no_author(tmp_path):
    write(tmp_path, "a.md", post("title: One\ndate: 2021-01-01\nauthor: Ann Lee"))
    run(tmp_path, dry_run=True)
    assert not Author.objects.exists()
