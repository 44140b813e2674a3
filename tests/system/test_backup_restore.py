"""PostgreSQL's backup and restore as docs/backup.md gives it: pg_dump -Fc of the test database,
pg_restore into a new database, and check_restore run against that one in a fresh process."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from tests.factories import make_site

ROOT = Path(__file__).resolve().parents[2]  # the project
TABLES = [
    "articles_article",
    "articles_article_keywords",
    "articles_articlefigure",
    "articles_image",
    "articles_keyword",
    "articles_redirect",
]

PG_DUMP, PG_RESTORE = shutil.which("pg_dump"), shutil.which("pg_restore")

pytestmark = [
    # Committed rows, so pg_dump sees them; serialized_rollback puts back what migrations made afterwards.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs DATABASE_URL naming a PostgreSQL database"),
    pytest.mark.skipif(
        not (PG_DUMP and PG_RESTORE),
        reason="needs pg_dump and pg_restore (apt-get install postgresql-client)",
    ),
]


def server_options() -> list[str]:
    db = connection.settings_dict
    options = [f"--host={db['HOST'] or 'localhost'}", f"--port={db['PORT'] or 5432}"]
    return [*options, f"--username={db['USER']}"] if db["USER"] else options


def rows(dbname: str) -> dict[str, list[tuple]]:
    """Every row of the tables a restore must bring back, search_document included."""
    db = connection.settings_dict
    params = {"host": db["HOST"] or "localhost", "port": db["PORT"] or 5432, "user": db["USER"] or None}
    with psycopg.connect(dbname=dbname, password=db["PASSWORD"] or None, **params) as conn:
        return {table: conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall() for table in TABLES}  # noqa: S608


@pytest.fixture
def restored_database():
    """The name of a database that exists for this test only."""
    name = f"{connection.settings_dict['NAME']}_restored_{os.getpid()}"
    with connection.cursor() as cursor:  # autocommit: no test transaction is open
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def test_pg_dump_and_pg_restore_bring_back_every_row(restored_database, tmp_path):
    make_site()
    dump = tmp_path / "newsroom.dump"
    password = {"PGPASSWORD": connection.settings_dict["PASSWORD"]} if connection.settings_dict["PASSWORD"] else {}
    run = {"check": True, "capture_output": True, "text": True, "timeout": 120, "env": {**os.environ, **password}}
    subprocess.run(  # noqa: S603 (fixed arguments)
        [PG_DUMP, *server_options(), "--format=custom", f"--file={dump}", connection.settings_dict["NAME"]], **run
    )
    subprocess.run(  # noqa: S603 (fixed arguments)
        [PG_RESTORE, *server_options(), "--no-owner", "--exit-on-error", f"--dbname={restored_database}", dump],
        **run,
    )

    assert rows(restored_database) == rows(connection.settings_dict["NAME"])
    assert len(rows(restored_database)["articles_article"]) == 2

    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{restored_database}"
    env = {**run["env"], "DATABASE_URL": url, "MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    result = subprocess.run(  # noqa: S603 (fixed arguments, our own manage.py)
        [sys.executable, "manage.py", "check_restore"], cwd=ROOT, **{**run, "env": env, "check": False}
    )
    assert result.returncode == 0, result.stderr
    assert "The restore is complete" in result.stdout
