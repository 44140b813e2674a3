"""Editorial trust in a real Chromium against the production-like stack: `make serve` (collectstatic,
gunicorn with its workers, DEBUG off, the page cache on) over a fresh SQLite database holding the sample
content. A writer's headline change to a live story waits; an editor compares it and publishes it as a
correction; a logged-out reader sees the old headline before and the new one, with the correction, after.

test_browser_trust.py walks the same flow against Django's live server (one process, DEBUG off, no page
cache); this one catches what only the real server shows: hashed static files under the admin's
Content-Security-Policy, and cached pages that must go stale in every worker once the change is published.
Skipped without Chromium or without the project's .venv.
"""

import json
import time
from types import SimpleNamespace

import pytest

from tests.factories import chromium_or_skip
from tests.system.browser.test_browser import CHROMIUM_ARGS, TIMEOUT_MS, csp_violations, csp_watched_page, log_in
from tests.system.browser.test_browser_workflow import open_change_form
from tests.system.serving import get, make_serve, manage, needs_make_serve, serve_env

playwright_sync = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")

pytestmark = [pytest.mark.browser, needs_make_serve]

SLUG = "port-allen-harbour-reopens"  # a published story of articles/sample_content/articles.json
NEW_TITLE = "Port Allen harbour reopens to fishing boats and the island ferry"
CORRECTION_NOTE = "An earlier version left out the island ferry, which is back too."

# Made in the served database through the real models: the Writers and Editors groups come from a data
# migration. Passwords are "pw-" + username, as tests/factories.make_user() and test_browser.log_in() have it.
MAKE_USERS = f"""
import json
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from articles.models import Article

for username, group in [("writer", "Writers"), ("editor", "Editors")]:
    user = get_user_model().objects.create_user(username=username, password="pw-" + username, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
article = Article.objects.published().get(slug={SLUG!r})
print(json.dumps({{"pk": article.pk, "title": article.title, "url": article.get_absolute_url()}}))
"""


@pytest.fixture
def served(tmp_path):
    """`make serve` over a fresh database with the sample content, a writer and an editor; stopped after."""
    env = serve_env(tmp_path)
    # With the cache in each worker's memory, the content generation lives in a file all workers read.
    env["NEWSROOM_PAGE_GENERATION_FILE"] = str(tmp_path / "pages.generation")
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "load_sample_content", "--force", "-v0")  # --force: DEBUG is off, and this database is a throwaway
    article = json.loads(manage(env, "shell", "-v0", "-c", MAKE_USERS).stdout)
    with make_serve(env, tmp_path / "serve.log") as base:
        yield SimpleNamespace(base=base, article=SimpleNamespace(**article), log=tmp_path / "serve.log")


@pytest.fixture
def browser():
    """Headless Chromium, launched before the server starts so that a missing one skips at once."""
    executable = chromium_or_skip()
    with playwright_sync.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def new_context(browser, served):
    """Make browser contexts (each its own cookies and HTTP cache) on the served site; closed with the browser."""

    def make(**options):
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(base_url=served.base, **options)
        context.set_default_timeout(TIMEOUT_MS)
        return context

    return make


def staff_page(new_context, username):
    """A logged-in admin page recording CSP violations, uncaught script errors and console errors."""
    page = csp_watched_page(new_context)
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    log_in(page, SimpleNamespace(username=username))
    return page


def assert_clean(page):
    assert csp_violations(page) == []
    assert page.errors == []
    assert page.console_errors == []


def reader_title(new_context, url):
    """The headline a logged-out reader (a fresh context: no session, nothing in its HTTP cache) gets."""
    reader = csp_watched_page(new_context)
    response = reader.goto(url, wait_until="load")
    assert response.status == 200
    assert response.headers["cache-control"].startswith("public")  # the page cache keeps it
    assert csp_violations(reader) == [] and reader.errors == []
    return reader, reader.locator(".article__title").inner_text()


def titles_served(base, url, times=6):
    """The headline in each of several separate requests, so that every worker has had its say."""
    titles = set()
    for _ in range(times):
        status, _, body = get(base + url)
        assert status == 200
        titles.add(NEW_TITLE if NEW_TITLE.encode() in body else "old")
    return titles


def test_writer_change_waits_then_editor_publishes_it_as_a_correction_behind_gunicorn(new_context, served):
    article = served.article
    started = time.monotonic()

    # Before anything changes, readers get the published story, and the page cache keeps it.
    _, title = reader_title(new_context, article.url)
    assert title == article.title
    assert titles_served(served.base, article.url) == {"old"}

    # a. The writer logs in to the dashboard and changes the headline: the change waits for an editor.
    page = staff_page(new_context, "writer")
    response = page.goto("/admin/", wait_until="load")
    assert response.status == 200
    assert response.headers["server"].startswith("gunicorn")
    assert "content-security-policy" in response.headers
    assert page.locator("#waiting-for-review").count() == 1  # the newsroom's dashboard, not Django's app list
    assert page.locator("#recently-published").count() == 1
    assert_clean(page)
    open_change_form(page, article)
    page.locator("#id_title").fill(NEW_TITLE)
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(f"**/admin/articles/article/{article.pk}/change/")
    assert f"Your change to “{NEW_TITLE}” is waiting for an editor." in page.locator(".messagelist").inner_text()
    assert "is waiting for an editor" in page.locator(".newsroom-pending").inner_text()
    assert_clean(page)

    _, title = reader_title(new_context, article.url)
    assert title == article.title
    assert titles_served(served.base, article.url) == {"old"}

    # b. The editor compares the change with the published story and publishes it as a correction.
    desk = staff_page(new_context, "editor")
    open_change_form(desk, article)
    desk.get_by_role("link", name="Compare it with the published version").click()
    desk.wait_for_url(f"**/admin/articles/article/{article.pk}/pending/compare/")
    assert any("ferry" in text for text in desk.locator(".newsroom-diff ins").all_inner_texts())
    desk.locator("#id_correction_kind").select_option(label="Correction")
    desk.locator("#id_correction_note").fill(CORRECTION_NOTE)
    desk.get_by_role("button", name="Publish the change").click()
    desk.wait_for_url(f"**/admin/articles/article/{article.pk}/change/")
    assert desk.locator(".newsroom-pending").count() == 0
    assert desk.locator("#id_title").input_value() == NEW_TITLE
    assert_clean(desk)

    # c. Every worker's cached copy went stale: readers get the new headline, and the correction under the body.
    reader, title = reader_title(new_context, article.url)
    assert title == NEW_TITLE
    item = reader.locator("section.corrections .corrections__item--correction")
    assert item.count() == 1
    assert item.locator("strong").inner_text() == "Correction"
    assert CORRECTION_NOTE in item.inner_text()
    assert reader.evaluate(
        "document.querySelector('.article__body').compareDocumentPosition("
        "document.querySelector('section.corrections')) & Node.DOCUMENT_POSITION_FOLLOWING"
    )
    assert titles_served(served.base, article.url) == {NEW_TITLE}
    assert "Traceback" not in served.log.read_text()
    print(f"walked in {time.monotonic() - started:.1f}s behind gunicorn")  # noqa: T201 (shown with -s)
