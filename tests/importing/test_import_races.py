"""An editor saving while an import runs: the import never replaces the save without saying so."""

import pytest
from django.db.models import F

from articles.importing import ImportOptions, import_paths
from articles.importing.pictures import Pictures
from articles.models import Article
from tests.importing.samples import post, write

pytestmark = pytest.mark.django_db


def edit_during_gather(monkeypatch, title="Edited by the desk"):
    """An editor's save lands after the file was compared with its article, before its transaction
    (while its pictures are read or downloaded: seconds with --fetch-images)."""
    original = Pictures.gather

    def gather(self, sources):
        Article.objects.update(title=title, version=F("version") + 1)
        return original(self, sources)

    monkeypatch.setattr(Pictures, "gather", gather)


@pytest.fixture
def imported(tmp_path):
    write(tmp_path, "story.md", post("title: First\ndate: 2021-01-01"))
    import_paths([tmp_path], ImportOptions())
    write(tmp_path, "story.md", post("title: Second\ndate: 2021-01-01"))  # the file changes
    return tmp_path


def test_a_save_between_read_and_write_is_a_conflict_and_is_kept(imported, monkeypatch):
    edit_during_gather(monkeypatch)
    report = import_paths([imported], ImportOptions())
    (result,) = report.files
    assert (result.status, report.counts["conflicts"], report.counts["updated"]) == ("conflict", 1, 0)
    assert "edited in Newsroom while the import ran" in result.error
    assert Article.objects.get().title == "Edited by the desk"


def test_overwrite_replaces_the_save_as_asked(imported, monkeypatch):
    edit_during_gather(monkeypatch)
    (result,) = import_paths([imported], ImportOptions(overwrite=True)).files
    article = Article.objects.get()
    assert (result.status, article.title) == ("updated", "Second")
    assert article.import_version == article.version  # "as imported" from the version it replaced


def test_without_an_edit_the_update_goes_through(imported):
    (result,) = import_paths([imported], ImportOptions()).files
    assert (result.status, Article.objects.get().title) == ("updated", "Second")
