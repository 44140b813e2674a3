"""An import runs with its user's permissions: what the user may not change (keywords, sections,
redirects) it leaves as it is and says so, and every change to an existing article is recorded."""

from pathlib import Path

import pytest
from reversion.models import Version

from articles.importing import ImportOptions, import_paths
from articles.importing.options import IMPORT_PERMISSIONS
from articles.models import Article, ArticleEvent, Keyword, Redirect, Section
from tests.factories import make_article
from tests.importing.samples import post, simple_post, write

pytestmark = pytest.mark.django_db

# As the Writers group (articles/migrations/0002_editorial_groups.py): keywords added, nothing else.
WRITER = frozenset({"articles.add_keyword"})
EDITOR = frozenset(IMPORT_PERMISSIONS)
CATEGORY = post("extends: _layouts.category\ntitle: Ferry news\ndescription: Rewritten by the file.")
IN_A_SECTION = simple_post("Pier reopens", extra="newsroom_section:\n  name: Harbour\n  slug: harbour")


def run(folder: Path, **options):
    options.setdefault("legacy_url_pattern", "news/{filename}")
    return import_paths([folder], ImportOptions(**options))


def warnings_of(report) -> list[str]:
    return [warning for result in report.files for warning in result.warnings]


# --- Category pages: keywords --------------------------------------------------------------------


def test_a_writers_category_page_renames_no_keyword(tmp_path):
    Keyword.objects.create(name="Ferries", slug="ferries", description="Boats.")
    write(tmp_path, "_categories/ferries.md", CATEGORY)
    report = run(tmp_path, as_drafts=True, permissions=WRITER)
    keyword = Keyword.objects.get()
    assert (keyword.name, keyword.description) == ("Ferries", "Boats.")
    assert any("keyword 'ferries' was left as it is" in warning for warning in warnings_of(report))


def test_a_category_page_makes_a_keyword_only_with_the_permission_to_add_one(tmp_path):
    write(tmp_path, "_categories/ferries.md", CATEGORY)
    report = run(tmp_path, as_drafts=True, permissions=frozenset())
    assert not Keyword.objects.exists()
    assert any("keyword 'ferries' was not made" in warning for warning in warnings_of(report))
    run(tmp_path, as_drafts=True, permissions=WRITER)
    assert Keyword.objects.get().name == "Ferry news"


def test_an_editors_category_page_renames_its_keyword(tmp_path):
    Keyword.objects.create(name="Ferries", slug="ferries", description="Boats.")
    write(tmp_path, "_categories/ferries.md", CATEGORY)
    run(tmp_path, permissions=EDITOR)
    keyword = Keyword.objects.get()
    assert (keyword.name, keyword.description) == ("Ferry news", "Rewritten by the file.")


# --- Sections ------------------------------------------------------------------------------------


def test_a_writers_file_makes_no_section(tmp_path):
    write(tmp_path, "pier.md", IN_A_SECTION)
    report = run(tmp_path, as_drafts=True, permissions=WRITER)
    assert not Section.objects.exists()
    assert Article.objects.get().section is None
    assert any("section 'Harbour' does not exist" in warning for warning in warnings_of(report))


def test_a_writers_file_joins_a_section_that_exists(tmp_path):
    harbour = Section.objects.create(name="Harbour", slug="harbour")
    write(tmp_path, "pier.md", IN_A_SECTION)
    run(tmp_path, as_drafts=True, permissions=WRITER)
    assert Article.objects.get().section == harbour


def test_an_editors_file_makes_its_section(tmp_path):
    write(tmp_path, "pier.md", IN_A_SECTION)
    run(tmp_path, permissions=EDITOR)
    assert Article.objects.get().section == Section.objects.get(slug="harbour")


# --- Redirects -----------------------------------------------------------------------------------


def test_a_writers_import_takes_no_old_address_from_another_article(tmp_path):
    other = make_article(title="The old pier story", slug="old-pier")
    Redirect.objects.create(old_path="/news/pier", article=other)
    write(tmp_path, "pier.md", simple_post("Pier reopens"))
    report = run(tmp_path, as_drafts=True, permissions=WRITER)
    assert Redirect.objects.get().article == other
    assert any(f"/news/pier leads to article {other.pk}; it was left there" in w for w in warnings_of(report))


def test_a_writers_import_makes_no_redirect(tmp_path, client):
    write(tmp_path, "pier.md", simple_post("Pier reopens", extra="aliases: [/subscribe]"))
    report = run(tmp_path, as_drafts=True, permissions=WRITER)
    assert not Redirect.objects.exists()
    assert Article.objects.get().legacy_url == "/news/pier"  # kept: an editor's import can answer for it
    assert any("/subscribe was not made a redirect" in warning for warning in warnings_of(report))
    assert client.get("/subscribe").status_code == 404


def test_an_editors_import_points_old_addresses_at_its_articles(tmp_path):
    other = make_article(title="The old pier story", slug="old-pier")
    Redirect.objects.create(old_path="/news/pier", article=other)
    write(tmp_path, "pier.md", simple_post("Pier reopens", extra="aliases: [/pier]"))
    run(tmp_path, permissions=EDITOR)
    article = Article.objects.get(title="Pier reopens")
    assert set(Redirect.objects.values_list("old_path", "article")) == {
        ("/news/pier", article.pk),
        ("/pier", article.pk),
    }


# --- The record of an update ---------------------------------------------------------------------


def test_an_update_by_import_keeps_a_revision_and_an_event(tmp_path, editor):
    write(tmp_path, "pier.md", simple_post("Pier reopens"))
    run(tmp_path)
    article = Article.objects.get()
    assert not ArticleEvent.objects.exists()  # a first import is no change to anything
    write(tmp_path, "pier.md", simple_post("Pier reopens at last"))
    run(tmp_path, user_id=editor.pk, permissions=EDITOR)
    event = ArticleEvent.objects.get()
    assert (event.article, event.action, event.user) == (article, ArticleEvent.Action.IMPORTED, editor)
    versions = list(Version.objects.get_for_object(article))  # newest first
    assert [version.field_dict["title"] for version in versions] == ["Pier reopens at last", "Pier reopens"]
    assert versions[0].revision.user == editor
    # Run again: unchanged, and nothing more is recorded.
    run(tmp_path, user_id=editor.pk, permissions=EDITOR)
    assert ArticleEvent.objects.count() == 1
    assert Version.objects.get_for_object(article).count() == 2


def test_a_dry_run_update_records_nothing(tmp_path):
    write(tmp_path, "pier.md", simple_post("Pier reopens"))
    run(tmp_path)
    write(tmp_path, "pier.md", simple_post("Pier reopens at last"))
    run(tmp_path, dry_run=True)
    assert not ArticleEvent.objects.exists()
    assert not Version.objects.exists()
