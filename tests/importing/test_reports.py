"""Reports that never call a wrong page a success: warnings counted and named, --strict, runs recorded."""

import io
import json
import os
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles.importing import ImportOptions, import_paths
from articles.importing import service as import_service
from articles.importing.review import warning_kind
from articles.models import Article, ImportRun
from tests.admin.test_import import post_import, zip_upload
from tests.importing.samples import post, write

ARCHIVES = Path(__file__).resolve().parent / "archives"
pytestmark = pytest.mark.django_db


def command(*args) -> tuple[str, str, int]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_legacy", *map(str, args), stdout=out, stderr=err, no_color=True)
    except SystemExit as exit:
        return out.getvalue(), err.getvalue(), exit.code
    return out.getvalue(), err.getvalue(), 0


def test_a_run_with_warnings_exits_0_but_says_so_in_its_last_line():
    out, _, code = command(ARCHIVES / "jekyll")
    last = out.strip().splitlines()[-1]
    assert code == 0
    assert "failed 0" in last and "imported file(s) with warnings" in last
    clean = command(ARCHIVES / "jigsaw")[0].strip().splitlines()[-1]
    assert "with warnings" not in clean


def test_the_json_report_counts_files_with_warnings(tmp_path):
    report = tmp_path / "report.json"
    command(ARCHIVES / "hugo", "--report", report)
    data = json.loads(report.read_text())
    warned = [f for f in data["files"] if f["status"] in ("created", "updated") and f["warnings"]]
    assert data["with_warnings"] == len(warned) > 0


def test_command_runs_are_recorded_for_the_admin_review():
    command(ARCHIVES / "hugo")
    run = ImportRun.objects.get()
    assert run.source.endswith("archives/hugo") and not run.dry_run
    ferry = next(f for f in run.report["files"] if f["path"].endswith("ferry-returns.md"))
    assert any("myshortcode" in warning for warning in ferry["warnings"])


def test_strict_fails_a_file_with_a_warning_and_writes_nothing_for_it(tmp_path):
    write(tmp_path, "clean.md", post("title: Clean\ndate: 2021-01-01", "Plain text.\n"))
    write(tmp_path, "odd.md", post("title: Odd\ndate: 2021-01-01", "Hello {% gallery %}\n"))
    out, err, code = command(tmp_path, "--strict")
    assert code == 1
    assert "--strict: 1 warning(s), the first: line 5: unknown Liquid tag {% gallery %}" in err
    assert list(Article.objects.values_list("title", flat=True)) == ["Clean"]


def test_strict_takes_a_new_article_with_a_dead_link_out_again(tmp_path):
    write(tmp_path, "linked.md", post("title: Linked\ndate: 2021-01-01", "[gone](/2010/01/01/gone.html)\n"))
    report = import_paths([tmp_path], ImportOptions(strict=True))
    result = report.files[0]
    assert result.status == "failed" and "dead link: /2010/01/01/gone.html" in result.error
    assert not Article.objects.exists()


def test_a_key_map_reads_the_sites_own_keys(tmp_path):
    write(tmp_path, "soup.md", post("newstitle: Soup for a cold week\nblurb: Barley.\ndate: 2021-01-01"))
    command(tmp_path, "--map", "newstitle=title", "--map", "blurb=description")
    article = Article.objects.get()
    assert (article.title, article.standfirst) == ("Soup for a cold week", "Barley.")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--legacy-url-pattern", "/{year}/{nope}"], "unknown placeholder {nope}"),
        (["--map", "title"], "'title' is not of the form their_key=our_key"),
    ],
)
def test_a_wrong_option_is_a_clear_error_before_any_file_is_read(tmp_path, args, message):
    write(tmp_path, "a.md", post("title: A\ndate: 2021-01-01"))
    with pytest.raises(CommandError, match=message.replace("{", r"\{").replace("}", r"\}")):
        call_command("import_legacy", str(tmp_path), *args)
    assert not Article.objects.exists()


def test_a_generators_placeholders_are_understood(tmp_path):
    write(tmp_path, "2019-10-01-tide-tables.md", post("title: Tide tables\ndate: 2019-10-01 09:00"))
    command(tmp_path, "--legacy-url-pattern", "/news/:year/:month/:title.html")
    assert Article.objects.get().legacy_url == "/news/2019/10/tide-tables.html"


@pytest.mark.parametrize(
    ("warning", "kind"),
    [
        ("dead link: /x (no imported post had that address)", "Dead links to posts that did not import"),
        ("line 3: unknown Liquid tag {% gallery %}: kept as text", "Template syntax shown as text"),
        ("image /a.png not found under the import folder or the site's folders: kept as it is", "Pictures not found"),
        ("gist embed kept as a link: https://gist.github.com/u/1", "Embeds kept as links"),
        ("<svg> removed with its content (1)", "Content removed"),
        ("no date: imported as a draft", "Drafted for want of a date"),
    ],
)
def test_each_warning_has_a_kind(warning, kind):
    assert warning_kind(warning) == kind


def test_the_review_page_lists_warnings_by_kind(client, editor):
    command(ARCHIVES / "jekyll")
    client.force_login(editor)
    html = client.get(reverse("admin:articles_article_import_review")).content.decode()
    assert "Dead links to posts that did not import</strong> (1)" in html
    assert "Embeds kept as links</strong> (2)" in html
    assert "dead link: /blog/2010/01/01/winter-storm.html" in html


def test_the_admin_import_takes_a_key_map_and_refuses_a_wrong_pattern(client, editor, tmp_path):
    client.force_login(editor)
    upload = zip_upload({"posts/soup.md": post("newstitle: Soup\ndate: 2021-01-01").encode()})
    post_import(client, upload, key_map="newstitle=title", dry_run="")
    assert Article.objects.get().title == "Soup"
    response = post_import(client, zip_upload({"a.md": b"x"}), legacy_url_pattern="/{nope}")
    assert "unknown placeholder {nope}" in response.content.decode()


def test_an_archive_copied_elsewhere_imports_the_same(tmp_path):
    """Nothing depends on where the archive sits (the site's config is found from the folder named)."""
    shutil.copytree(ARCHIVES / "jekyll", tmp_path / "site")
    command(tmp_path / "site" / "_posts")
    assert Article.objects.get(slug="first-light").legacy_url == "/blog/2009/03/07/first-light.html"


def test_a_link_to_a_post_later_in_the_run_points_at_its_article_once_the_run_is_in(tmp_path):
    write(tmp_path, "_config.yml", "permalink: /:year/:title/\n")
    write(
        tmp_path,
        "_posts/2020-01-01-first.md",
        post("title: First", "Then [the second]({% post_url 2021-01-01-second %}).\n"),
    )
    write(tmp_path, "_posts/2021-01-01-second.md", post("title: Second", "Back to [the first](/2020/first/).\n"))
    dry = import_paths([tmp_path], ImportOptions(dry_run=True))
    assert not any(w.startswith("dead link") for result in dry.files for w in result.warnings)
    report = import_paths([tmp_path], ImportOptions())
    assert not any(w.startswith("dead link") for result in report.files for w in result.warnings)
    first, second = Article.objects.get(slug="first"), Article.objects.get(slug="second")
    assert f'href="{second.get_absolute_url()}"' in first.body  # resolved after the run
    assert f'href="{first.get_absolute_url()}"' in second.body  # resolved as it was written
    assert import_paths([tmp_path], ImportOptions()).counts["unchanged"] == 2  # and not an editor's change


def test_a_body_over_the_size_limit_is_refused_in_words(tmp_path, settings):
    settings.NEWSROOM_MAX_BODY_BYTES = 1_000
    write(tmp_path, "long.html", post("title: Long\ndate: 2021-01-01", "<p>" + "word " * 400 + "</p>"))
    (result,) = import_paths([tmp_path], ImportOptions()).files
    assert (result.status, result.error) == ("failed", "The body is larger than the limit of 1,000 bytes.")


def test_keywords_beyond_the_limit_are_dropped_with_a_warning(tmp_path, settings):
    settings.NEWSROOM_IMPORT_MAX_KEYWORDS = 3
    write(tmp_path, "tags.md", post("title: Tags\ndate: 2021-01-01\nkeywords: a1, b2, c3, d4, e5"))
    (result,) = import_paths([tmp_path], ImportOptions()).files
    assert "5 keywords: the first 3 kept, the rest dropped" in result.warnings
    assert Article.objects.get().keywords.count() == 3


@pytest.mark.parametrize(("files", "dry_run", "analyzed"), [(2, False, True), (1, False, False), (2, True, False)])
def test_a_large_import_refreshes_the_planner_statistics(tmp_path, settings, monkeypatch, files, dry_run, analyzed):
    from articles.importing import service

    calls = []
    monkeypatch.setattr(service, "analyze_tables", lambda: calls.append(True))
    settings.NEWSROOM_IMPORT_ANALYZE_AFTER = 2
    for n in range(files):
        write(tmp_path, f"{n}.md", post(f"title: Story {n}\ndate: 2021-01-01"))
    import_paths([tmp_path], ImportOptions(dry_run=dry_run))
    assert bool(calls) is analyzed


def test_analyze_tables_gives_the_planner_the_row_counts(tmp_path):
    from django.db import connection

    from articles.importing.database import analyze_tables

    for n in range(3):
        write(tmp_path, f"{n}.md", post(f"title: Story {n}\ndate: 2021-01-01"))
    import_paths([tmp_path], ImportOptions())
    analyze_tables()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'articles_article'")
            assert {row[0].split()[0] for row in cursor.fetchall()} == {"3"}  # each index's row count
        else:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'articles_article'")
            assert cursor.fetchone()[0] == 3


def test_a_report_that_cannot_be_written_is_an_error_before_any_file_is_read(tmp_path):
    write(tmp_path, "a.md", post("title: A\ndate: 2021-01-01"))
    with pytest.raises(CommandError, match="--report .*No such file or directory"):
        call_command("import_legacy", str(tmp_path), "--report", str(tmp_path / "missing" / "report.json"))
    assert not Article.objects.exists()


def test_an_unreadable_folder_is_a_failed_entry_and_the_rest_imports(tmp_path, monkeypatch):
    write(tmp_path / "site", "a.md", post("title: A\ndate: 2021-01-01"))
    write(tmp_path / "site" / "locked", "b.md", post("title: B\ndate: 2021-01-01"))
    scandir = os.scandir

    def refusing(path="."):
        if Path(path).name == "locked":  # root ignores permission bits, so the refusal is made here
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refusing)
    report = import_paths([tmp_path / "site"], ImportOptions())

    assert report.counts["created"] == report.counts["failed"] == 1
    (failed,) = [result for result in report.files if result.status == "failed"]
    assert failed.path.endswith("site/locked")
    assert failed.error == "folder could not be read (Permission denied): nothing in it was imported"


def test_a_stopped_run_leaves_a_partial_report_and_an_unfinished_run(tmp_path, monkeypatch):
    for n in range(4):
        write(tmp_path / "posts", f"{n}.md", post(f"title: Post {n}\ndate: 2021-01-01"))
    report = tmp_path / "report.json"
    import_file = import_service.import_file

    def stopped_at_the_third(path, **kwargs):
        if path.name == "2.md":
            raise KeyboardInterrupt  # Ctrl-C; a kill stops the run at the same point
        return import_file(path, **kwargs)

    monkeypatch.setattr(import_service, "import_file", stopped_at_the_third)
    with pytest.raises(KeyboardInterrupt):
        command(tmp_path / "posts", "--report", report, "--workers", 0)

    lines = [json.loads(line) for line in (tmp_path / "report.json.partial").read_text().splitlines()]
    assert [(Path(line["path"]).name, line["status"]) for line in lines] == [("0.md", "created"), ("1.md", "created")]
    run = ImportRun.objects.get()
    assert not run.finished and run.counts == {}


def test_a_finished_run_replaces_its_partial_report(tmp_path):
    write(tmp_path / "posts", "a.md", post("title: A\ndate: 2021-01-01"))
    command(tmp_path / "posts", "--report", tmp_path / "report.json")

    assert json.loads((tmp_path / "report.json").read_text())["created"] == 1
    assert not (tmp_path / "report.json.partial").exists()
    run = ImportRun.objects.get()
    assert run.finished and run.counts["created"] == 1
