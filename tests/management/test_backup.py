"""Backups and restores (docs/backup.md): dumpdata/loaddata on either database, check_restore,
backup_sqlite. Runs on whichever database the suite is configured for."""

import datetime as dt
import io
import sqlite3

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from articles.models import Article, ArticleFigure, Image, Keyword, Redirect, SearchEntry
from articles.search import search_articles
from tests.factories import make_article, make_site

pytestmark = pytest.mark.django_db

on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only: PostgreSQL has no FTS table")

# How docs/backup.md dumps a whole site: content types and permissions are
# recreated by migrate, so rows point at them by name rather than by id.
DUMP_OPTIONS = [
    "--natural-foreign",
    "--natural-primary",
    "-e",
    "contenttypes",
    "-e",
    "auth.permission",
    "-e",
    "sessions",
]

ARTICLE_FIELDS = [f.attname for f in Article._meta.concrete_fields if f.name != "fragment_version"]


@pytest.fixture(autouse=True)
def _content_types_read_afresh():
    """flush and serialized_rollback make the content types again under new ids: Django's
    process-wide cache of them would send later tests to the wrong model."""
    yield
    ContentType.objects.clear_cache()


def site_rows(*, json_times=False):
    """Every row a restore must bring back; json_times: times cut to the millisecond, as JSON dumps keep them."""
    rows = {
        # Not fragment_version: loading a figure or keyword renews it, as any change to one does, so
        # stored fragments are rendered again after a load rather than trusted.
        "articles": list(Article.objects.order_by("pk").values(*ARTICLE_FIELDS)),
        "keywords": list(Keyword.objects.order_by("pk").values()),
        # A dump names an article's keywords, not the rows linking them: those get new ids.
        "article keywords": list(
            Article.keywords.through.objects.order_by("article", "keyword").values("article", "keyword")
        ),
        "images": list(Image.objects.order_by("pk").values()),
        "figures": list(ArticleFigure.objects.order_by("pk").values()),
        "redirects": list(Redirect.objects.order_by("pk").values()),
    }
    if json_times:
        for row in (row for table in rows.values() for row in table):
            for name, value in row.items():
                if isinstance(value, dt.datetime):
                    row[name] = value.replace(microsecond=value.microsecond // 1000 * 1000)
    return rows


def check_restore():
    """check_restore's exit and what it wrote to stderr."""
    err = io.StringIO()
    try:
        call_command("check_restore", stdout=io.StringIO(), stderr=err)
    except CommandError:
        return False, err.getvalue()
    return True, err.getvalue()


def test_plain_dumpdata_works_and_leaves_out_the_search_index(tmp_path):
    make_site()
    out = tmp_path / "dump.json"
    call_command("dumpdata", output=str(out))
    dumped = out.read_text()
    assert '"model": "articles.article"' in dumped
    assert "articles.searchentry" not in dumped


# Committed rows, flushed as a new database would be. serialized_rollback, as for every transactional
# test here: the rows migrations made (content types, groups) are put back for whatever runs next.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_dumpdata_then_loaddata_into_an_emptied_database_round_trips_the_site(tmp_path):
    make_site()
    before = site_rows(json_times=True)
    dump = tmp_path / "site.json"
    call_command("dumpdata", *DUMP_OPTIONS, output=str(dump))

    call_command("flush", interactive=False, verbosity=0)
    assert not Article.objects.exists() and not Image.objects.exists()
    call_command("loaddata", str(dump), verbosity=0)

    assert site_rows(json_times=True) == before
    # The search index is derived: SQLite's triggers and PostgreSQL's filled it as the rows went in.
    assert [a.title for a in search_articles(Article.objects.published(), "harbour").results] == ["Harbour reopens"]
    if connection.vendor == "sqlite":
        assert SearchEntry.objects.count() == Article.objects.count() == 2
    assert check_restore() == (True, "")
    # loaddata moved PostgreSQL's sequences past the loaded ids.
    assert make_article(title="After the restore").pk > max(row["id"] for row in before["articles"])


def test_a_complete_restore_passes():
    make_site()
    assert check_restore() == (True, "")


def test_a_missing_rendition_is_reported_by_name():
    _, picture = make_site()
    key, name = sorted(picture.renditions.items())[0]
    default_storage.delete(name)
    complete, report = check_restore()
    assert not complete
    assert report.strip() == f"Image {picture.pk}: rendition {key} ({name}) is missing from media storage"


def test_a_missing_original_is_reported_by_name():
    _, picture = make_site()
    default_storage.delete(picture.file.name)
    complete, report = check_restore()
    assert not complete
    assert report.strip() == f"Image {picture.pk}: original {picture.file.name} is missing from media storage"


def test_missing_media_storage_reports_every_file():
    _, picture = make_site()
    for name in [picture.file.name, *picture.renditions.values()]:
        default_storage.delete(name)
    complete, report = check_restore()
    assert not complete
    assert len(report.strip().splitlines()) == 1 + len(picture.renditions)


def test_an_unapplied_migration_is_reported():
    MigrationRecorder(connection).record_unapplied("articles", "0017_import_sources_unique_pictures")
    complete, report = check_restore()
    assert not complete
    assert "Migration articles.0017_import_sources_unique_pictures is not applied" in report


@on_sqlite
def test_a_search_index_out_of_step_is_reported_and_rebuilt():
    article, _ = make_site()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM articles_article_fts WHERE rowid = %s", [article.pk])
    complete, report = check_restore()
    assert not complete
    assert "The search index holds 1 entries for 2 articles" in report

    call_command("rebuild_search_index", verbosity=0)
    assert check_restore() == (True, "")
    assert [a.pk for a in search_articles(Article.objects.published(), "harbour").results] == [article.pk]


@on_sqlite
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # no transaction open: see backup_sqlite
def test_backup_sqlite_copies_a_database_that_restores_whole(tmp_path):
    article, _ = make_site()
    before = site_rows()
    backup = tmp_path / "newsroom.sqlite3"
    call_command("backup_sqlite", str(backup), verbosity=0)
    assert not (tmp_path / "newsroom.sqlite3.partial").exists()
    with sqlite3.connect(backup) as copy:
        assert copy.execute("SELECT count(*) FROM articles_article").fetchone() == (2,)
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)

    article.delete()  # what went wrong after the backup
    # Restore: the copy becomes the database (in production: the file copied into place, docs/backup.md).
    source = sqlite3.connect(backup)
    try:
        source.backup(connection.connection)
    finally:
        source.close()

    assert site_rows() == before
    assert check_restore() == (True, "")


@on_sqlite
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # no transaction open: see backup_sqlite
def test_backup_sqlite_will_not_overwrite_without_force(tmp_path):
    backup = tmp_path / "newsroom.sqlite3"
    backup.write_text("an older backup")
    with pytest.raises(CommandError, match="pass --force"):
        call_command("backup_sqlite", str(backup))
    assert backup.read_text() == "an older backup"
    call_command("backup_sqlite", str(backup), "--force", verbosity=0)
    with sqlite3.connect(backup) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)


@pytest.mark.skipif(connection.vendor == "sqlite", reason="PostgreSQL only: backup_sqlite refuses it")
def test_backup_sqlite_refuses_postgresql(tmp_path):
    with pytest.raises(CommandError, match="not SQLite"):
        call_command("backup_sqlite", str(tmp_path / "x.sqlite3"))
    assert not (tmp_path / "x.sqlite3").exists()


@on_sqlite
def test_backup_sqlite_refuses_to_run_inside_a_transaction(tmp_path):
    with pytest.raises(CommandError, match="inside a transaction"):
        call_command("backup_sqlite", str(tmp_path / "x.sqlite3"))
    assert not (tmp_path / "x.sqlite3").exists()
