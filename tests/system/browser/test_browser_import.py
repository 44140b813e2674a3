"""An admin import in a real Chromium: a dry run queued for a worker, its page following the job and
turning into the report, then "Import these files for real" without choosing the files again.

Same set-up as test_browser.py (its fixtures are reused). Jobs queue in the database
(database_tasks) and a worker runs them in this process (`db_worker --batch`), so the page is seen
waiting, then polling its way to the report.
"""

import io
import zipfile

import pytest
from django.core.management import call_command

from articles.models import Article, ImportRun
from tests.system.browser import test_browser
from tests.system.browser.test_browser import ARTIFACTS, csp_violations, csp_watched_page, log_in

_allow_orm_beside_playwright = test_browser._allow_orm_beside_playwright
browser = test_browser.browser
new_context = test_browser.new_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

POST = "---\ntitle: {title}\ndate: 2021-03-04T09:30:00Z\n---\n<p>{title}, as the old site had it.</p>\n"


def archive() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        for slug, title in [("ferry", "Ferry timetable changes"), ("market", "Fish market keeps its hours")]:
            zipped.writestr(f"posts/{slug}.md", POST.format(title=title))
        zipped.writestr("posts/broken.md", "---\ntitle: [never closed\n---\nA body.\n")
    return buffer.getvalue()


def run_worker():
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


def test_dry_run_then_import_for_real_following_the_progress(new_context, editor, database_tasks):
    page = csp_watched_page(new_context)
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, editor)
    page.goto("/admin/articles/article/import/")
    page.set_input_files("#id_files", files=[{"name": "site.zip", "mimeType": "application/zip", "buffer": archive()}])
    page.locator("#id_legacy_url_pattern").fill("news/{filename}")
    assert page.locator("#id_dry_run").is_checked()  # a dry run unless unticked
    page.get_by_role("button", name="Import").click()

    page.wait_for_url("**/admin/articles/article/import/*/")
    assert page.locator("h2").first.inner_text() == "Waiting for a worker"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "import-waiting-1280.png", full_page=True)

    run_worker()  # the page, polling, sees the job done and turns into the report
    page.get_by_text("Dry run: nothing was saved").wait_for(timeout=30_000)
    assert "posts/broken.md" in page.locator("#content-main table").inner_text()
    assert not Article.objects.exists()
    page.screenshot(path=ARTIFACTS / "import-dry-run-1280.png", full_page=True)

    page.get_by_role("button", name="Import these files for real").click()
    page.wait_for_url("**/admin/articles/article/import/*/")
    # A worker half-way (as its progress writes say), for the page to show as it polls.
    failure = {"path": "posts/broken.md", "status": "failed", "error": "malformed YAML at line 3"}
    ImportRun.objects.filter(dry_run=False).update(
        state="running",
        files_total=3,
        files_done=2,
        report={"finished": False, "created": 1, "failed": 1, "failures": [failure]},
    )
    page.get_by_text("2 of 3 files").wait_for(timeout=30_000)
    assert page.locator("h2").first.inner_text() == "Importing"
    assert "posts/broken.md: malformed YAML at line 3" in page.locator("[data-failures]").inner_text()
    assert page.locator("progress").evaluate("bar => bar.value / bar.max") == pytest.approx(2 / 3)
    page.screenshot(path=ARTIFACTS / "import-progress-1280.png", full_page=True)
    ImportRun.objects.filter(dry_run=False).update(state="queued", files_total=0, files_done=0, report={})
    run_worker()
    page.get_by_text("Import finished").wait_for(timeout=30_000)
    assert Article.objects.count() == 2
    assert ImportRun.objects.filter(dry_run=False).get().report["created"] == 2
    page.screenshot(path=ARTIFACTS / "import-report-1280.png", full_page=True)

    article = Article.objects.get(title="Ferry timetable changes")
    page.locator(f'a[href="/admin/articles/article/{article.pk}/change/"]').click()
    page.wait_for_url(f"**/admin/articles/article/{article.pk}/change/")
    assert csp_violations(page) == [] and page.errors == []
