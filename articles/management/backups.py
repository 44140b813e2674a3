"""What a restored site lacks, in words (check_restore), and SQLite's online backup (backup_sqlite).

A restore is two halves that can drift apart: the database, and the media
files its rows name. Either can come back from an older copy than the other,
or not at all; so can the schema (a backup from older code) and, on SQLite,
the search index (derived from the articles by triggers).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from django.core.files.storage import Storage
from django.db import DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor

from articles.images.orphans import stored_names
from articles.models import Article, Image
from articles.search.schema import FTS_TABLE


def missing_media(storage: Storage, using: str = "default") -> Iterator[str]:
    """Every picture's original and rendition that its row names but storage lacks.

    Storage is listed once rather than asked file by file: on a bucket that is
    a request per folder and thousand names instead of one per file.
    """
    try:
        stored = set(stored_names(storage))
    except FileNotFoundError:  # MEDIA_ROOT itself never came back
        stored = set()
    pictures = Image.objects.using(using).exclude(file="").order_by("pk").values_list("pk", "file", "renditions")
    for pk, name, renditions in pictures.iterator():
        if name not in stored:
            yield f"Image {pk}: original {name} is missing from media storage"
        for key, rendition in sorted(renditions.items()):
            if rendition not in stored:
                yield f"Image {pk}: rendition {key} ({rendition}) is missing from media storage"


def unapplied_migrations(using: str = "default") -> Iterator[str]:
    """Migrations the code has and the database has not run (a backup taken before an upgrade)."""
    loader = MigrationExecutor(connections[using]).loader
    # Every node, not migration_plan(): that one skips a missing migration below an applied leaf.
    missing = {}
    for leaf in loader.graph.leaf_nodes():
        for node in loader.graph.forwards_plan(leaf):
            if node not in loader.applied_migrations:
                missing.setdefault(node, None)
    for app_label, name in missing:
        yield f"Migration {app_label}.{name} is not applied (run manage.py migrate)"


def search_index_gaps(using: str = "default") -> Iterator[str]:
    """SQLite only: the full-text index not matching the articles, one entry per article."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    articles = Article.objects.using(using).count()
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {FTS_TABLE}")  # noqa: S608
            indexed = cursor.fetchone()[0]
    except DatabaseError:
        yield f"The search index ({FTS_TABLE}) does not exist (run manage.py migrate)"
        return
    if indexed != articles:
        yield (f"The search index holds {indexed} entries for {articles} articles (run manage.py rebuild_search_index)")


def restore_problems(storage: Storage, using: str = "default") -> list[str]:
    """Everything check_restore reports; empty when the restore is complete."""
    problems = list(unapplied_migrations(using))
    if problems:
        # Tables or columns the queries below read may not exist yet.
        return problems
    return [*search_index_gaps(using), *missing_media(storage, using)]


def backup_sqlite(*, using: str = "default", destination: Path) -> None:
    """Copy a live SQLite database to destination with SQLite's backup API.

    Copying the file itself while the site runs can catch a write half-way and
    misses whatever still sits in the -wal file; the backup API copies one
    consistent state. The copy is written beside destination and renamed into
    place, so a stopped backup never leaves a file that looks whole.
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        raise ValueError(f"the {using!r} database is {connection.vendor}, not SQLite (see docs/backup.md)")
    if connection.in_atomic_block:
        # SQLite would wait on the transaction's own lock, or copy rows that may yet roll back.
        raise ValueError("a backup cannot be taken inside a transaction")
    partial = destination.with_name(destination.name + ".partial")
    connection.ensure_connection()
    target = sqlite3.connect(partial)
    try:
        connection.connection.backup(target)
    except BaseException:
        target.close()
        partial.unlink(missing_ok=True)
        raise
    target.close()
    os.replace(partial, destination)
