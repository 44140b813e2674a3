"""End to end in a real Chromium: an editor writes and publishes through the admin, a reader sees it.

These tests drive Debian's Chromium through Playwright's sync API against
pytest-django's live_server. They skip (with the reason) where Chromium is
not installed. Screenshots for humans go to test-artifacts/ (git-ignored).
"""

import base64
import time
from pathlib import Path

import pytest
from django.db import connections

from articles.models import Article, Image
from tests.factories import chromium_or_skip, image_bytes, make_article, make_image, make_keyword, make_section

# transaction=True: the live server thread must see what the test writes.
# serialized_rollback=True: a transactional test ends with a flush, which would
# also wipe the Writers/Editors groups the data migration made; this puts them
# back before each test.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

playwright_sync = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
TIMEOUT_MS = 15_000

BODY_TEXT = "The harbour is open again after two years of works."
TITLE = "Harbour reopens to boats"
ALT_TEXT = "Fishing boats tied up at the quay at dawn"
CREDIT = "Ann Lee"
CAPTION = "The first boats came back on Monday"
STANDFIRST = "Fishing boats and the ferry are back after two years of repairs to the quay."
BYLINE = "Jo Reporter"
REFUSED_MESSAGE = "The file is not a picture Newsroom can read."  # images/ingest.py process_upload()


@pytest.fixture(scope="module")
def _allow_orm_beside_playwright():
    # Playwright's sync API runs an asyncio event loop in the main thread (in a
    # greenlet) for as long as it is started. Django's async-safety check sees
    # that running loop and raises SynchronousOnlyOperation for every ORM call
    # made from the main thread: the test bodies, the factory fixtures and
    # pytest-django's own database flush after each transactional test. No
    # coroutine ever touches the ORM here, so the check is a false alarm; turn it
    # off for exactly as long as Playwright runs (module scope, so the rest of
    # the suite keeps the check).
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="module")
def browser(_allow_orm_beside_playwright):
    """One headless Chromium for the module, closed afterwards."""
    executable = chromium_or_skip()
    main_thread_connections = {alias: connections[alias] for alias in connections}
    with playwright_sync.sync_playwright() as playwright:
        # Django keeps database connections in an asgiref Local that, once an
        # event loop runs in the thread, switches from thread-local storage to
        # per-context storage: from here on the main thread would get fresh
        # connection objects, not the ones pytest-django set up (and marked for
        # serialized rollback, and shared with the live server's thread for
        # in-memory SQLite). Hand the originals to the new storage.
        for alias, connection in main_thread_connections.items():
            connections[alias] = connection
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def new_context(browser, live_server):
    """Make browser contexts (each its own cookies) that are closed after the test."""
    contexts = []

    def make(**options):
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def wait_until(page, expression, timeout_ms=TIMEOUT_MS):
    """page.wait_for_function without its in-page eval, which a CSP without
    'unsafe-eval' (ours, admin included) refuses: poll with evaluate() instead."""
    deadline = time.monotonic() + timeout_ms / 1000
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for: {expression}")
        page.wait_for_timeout(50)


def log_in(page, user):
    page.goto("/admin/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill("pw-" + user.username)
    page.locator("#login-form [type=submit]").click()
    page.wait_for_url("**/admin/")


@pytest.fixture
def admin_page(new_context, editor):
    """A page logged in to the admin as the editor, collecting uncaught script errors."""
    page = new_context().new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    log_in(page, editor)
    return page


def open_add_article(page):
    page.goto("/admin/articles/article/add/")
    wait_until(page, "window.CKEDITOR && CKEDITOR.instances.id_body && CKEDITOR.instances.id_body.status === 'ready'")


def publish_through_admin(page, lead_image):
    """Write, illustrate and publish an article the way an editor does."""
    open_add_article(page)
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_standfirst").fill(STANDFIRST)
    page.locator("#id_byline").fill(BYLINE)

    # Type into CKEditor's editing iframe with the keyboard.
    page.frame_locator(".cke_wysiwyg_frame").locator("body").click()
    page.keyboard.type(BODY_TEXT)

    # The lead image comes from the picture chooser, a popup: search, pick the thumbnail.
    with page.expect_popup() as popup_info:
        page.locator(".field-lead_image .newsroom-chooser__open").click()
    chooser = popup_info.value
    chooser.locator("#searchbar").fill(ALT_TEXT[:12])
    chooser.locator("#searchbar").press("Enter")
    chooser.wait_for_load_state("load")
    with chooser.expect_event("close"):
        chooser.locator(".newsroom-grid__pick", has_text=ALT_TEXT).click()
    assert page.locator("#id_lead_image").input_value() == str(lead_image.pk)

    page.locator("#id_lead_caption").fill(CAPTION)
    page.locator("#id_status").select_option("published")
    page.get_by_role("button", name="Save", exact=True).click()

    page.wait_for_url("**/admin/articles/article/")
    success = page.locator(".messagelist .success")
    assert success.inner_text() == f"Published: “{TITLE}”."  # one message, what the save did
    return Article.objects.get()


def test_editor_publishes_article_and_reader_sees_it(admin_page, new_context):
    lead = make_image(alt_text=ALT_TEXT, credit=CREDIT)

    article = publish_through_admin(admin_page, lead)

    assert (article.title, article.status, article.lead_image, article.lead_caption) == (
        TITLE,
        Article.Status.PUBLISHED,
        lead,
        CAPTION,
    )
    assert BODY_TEXT in article.body
    assert admin_page.errors == []

    reader = new_context().new_page()  # a fresh context: no admin session cookie
    failed = []
    reader.on("response", lambda response: response.status >= 400 and failed.append(response.url))
    response = reader.goto(article.get_absolute_url())
    assert response.status == 200
    assert reader.locator(".article__title").inner_text() == TITLE
    assert reader.locator(".standfirst").inner_text() == STANDFIRST
    assert BODY_TEXT in reader.locator(".article__body").inner_text()
    lead_figure = reader.locator("figure.figure--lead")
    assert lead_figure.locator("figcaption .caption").inner_text() == CAPTION
    assert lead_figure.locator("figcaption .credit").inner_text() == CREDIT
    lead_img = lead_figure.locator("img")
    assert lead_img.get_attribute("alt") == ALT_TEXT
    assert lead_img.get_attribute("src") == lead.url
    reader.wait_for_load_state("load")
    assert lead_img.evaluate("img => img.complete && img.naturalWidth") > 0
    assert failed == []


UPLOAD_THROUGH_CKEDITOR = """
async ([b64, name, type]) => {
  const editor = CKEDITOR.instances.id_body;
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const loader = editor.uploadRepository.create(new Blob([bytes], { type }), name);
  const finished = new Promise((resolve) => {
    loader.on("update", () => {
      if (["uploaded", "error", "abort"].includes(loader.status)) resolve();
    });
  });
  loader.upload(editor.config.uploadUrl);
  await finished;
  return { status: loader.status, url: loader.url || "", message: loader.message || "" };
}
"""


def test_editor_uploads_image_through_ckeditor(admin_page):
    page = admin_page
    open_add_article(page)
    assert page.evaluate("CKEDITOR.instances.id_body.config.uploadUrl") == "/admin/articles/image/upload/"

    requests = []
    page.on("request", lambda request: "/admin/articles/image/upload/" in request.url and requests.append(request))

    # CKEditor's own upload code (fileTools' FileLoader, the XHR the uploadimage
    # plugin uses for pasted and dropped pictures), fed a PNG. It sends no alt text,
    # so the picture is refused with a message saying where to upload it instead.
    png = base64.b64encode(image_bytes(fmt="PNG", size=(80, 60), color="seagreen")).decode()
    result = page.evaluate(UPLOAD_THROUGH_CKEDITOR, [png, "pic.png", "image/png"])

    assert [request.method for request in requests] == ["POST"]
    assert requests[0].headers.get("x-csrftoken"), "static/articles/editor.js did not add the CSRF header"
    assert result["status"] == "error", result
    assert "every picture needs alt text" in result["message"] and "Browse Server" in result["message"]
    assert Image.objects.count() == 0

    # A hostile file is refused too, and nothing is stored.
    evil = base64.b64encode(b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>\n').decode()
    result = page.evaluate(UPLOAD_THROUGH_CKEDITOR, [evil, "evil.svg", "image/svg+xml"])

    assert result["status"] == "error", result
    assert Image.objects.count() == 0
    assert page.errors == []


def test_screenshots_of_published_article_and_home(admin_page, new_context):
    """Pictures for humans to look at; the checks here only catch the obvious."""
    lead = make_image(alt_text=ALT_TEXT, credit=CREDIT, data=image_bytes(size=(1200, 800), color="steelblue"))
    article = publish_through_admin(admin_page, lead)
    # Neighbours for the home page's card grid: one with a picture, one without.
    section = make_section("Local")
    make_article(
        title="Council approves the new ferry timetable",
        standfirst="Boats every twenty minutes from June.",
        lead_image=make_image(alt_text="A ferry", data=image_bytes(size=(900, 600), color="darkorange")),
        section=section,
    )
    make_article(title="Fish market keeps its Saturday hours", standfirst="No change, the council says.")
    ARTIFACTS.mkdir(exist_ok=True)

    for width, options in [
        (390, {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}),
        (1280, {"viewport": {"width": 1280, "height": 900}}),
    ]:
        page = new_context(**options).new_page()
        page.goto(article.get_absolute_url(), wait_until="load")
        page.screenshot(path=ARTIFACTS / f"article-{width}.png", full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"article page scrolls sideways by {overflow}px at {width}px"

    page = new_context().new_page()
    page.goto("/", wait_until="load")
    page.screenshot(path=ARTIFACTS / "home-1280.png", full_page=True)
    assert page.locator(".card").count() == 3

    for name in ["article-390.png", "article-1280.png", "home-1280.png"]:
        assert (ARTIFACTS / name).stat().st_size > 0


# --- Content-Security-Policy in a real browser ----------------------------------------------------

# Installed in every page and frame before any of its own scripts run.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber}`
  );
});
"""


def csp_watched_page(new_context):
    """A page (own context) that records CSP violations: events in every frame, and console reports."""
    context = new_context()
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    page = context.new_page()
    page.csp_console = []
    page.errors = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and page.csp_console.append(message.text),
    )
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page


def csp_violations(page):
    found = list(page.csp_console)
    for frame in page.frames:
        found += frame.evaluate("window.__cspViolations || []")
    return found


def test_strict_policy_on_readers_pages_breaks_nothing(new_context):
    lead = make_image(alt_text=ALT_TEXT, credit=CREDIT, data=image_bytes(size=(900, 600), color="steelblue"))
    inline = make_image(alt_text="The quay", credit="Ann Lee", data=image_bytes(size=(600, 400), color="darkorange"))
    article = make_article(
        title=TITLE,
        standfirst=STANDFIRST,
        lead_image=lead,
        lead_caption=CAPTION,
        keywords=[make_keyword("Harbour")],
        body=f'<p>{BODY_TEXT}</p><figure class="image"><img src="{inline.url}"><figcaption>The quay</figcaption></figure>',
    )
    page = csp_watched_page(new_context)
    failed = []
    page.on("response", lambda response: response.status >= 400 and failed.append(response.url))

    for url in ["/", article.get_absolute_url(), article.keywords.get().get_absolute_url()]:
        response = page.goto(url, wait_until="load")
        assert response.status == 200
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]
        assert csp_violations(page) == [], url

    # The article page's pictures (lead and inline figure) all loaded under the policy.
    page.goto(article.get_absolute_url(), wait_until="load")
    pictures = page.locator(".article img")
    assert pictures.count() >= 2
    for n in range(pictures.count()):
        assert pictures.nth(n).evaluate("img => img.complete && img.naturalWidth") > 0, pictures.nth(n).get_attribute(
            "src"
        )
    assert failed == []
    assert page.errors == []

    # The policy is really enforced: an injected inline script does not run, and is reported.
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1'; document.body.append(s); }"
    )
    wait_until(page, "window.__cspViolations.length > 0")
    assert page.evaluate("window.__ran") is None
    assert any(v.startswith("script-src-elem blocked inline") for v in csp_violations(page))


def test_relaxed_admin_policy_lets_ckeditor_work(new_context, editor):
    page = csp_watched_page(new_context)
    log_in(page, editor)
    open_add_article(page)

    response_policy = page.evaluate("async () => (await fetch(location.href)).headers.get('content-security-policy')")
    assert "'unsafe-inline'" in response_policy
    assert page.locator("iframe.cke_wysiwyg_frame").count() == 1
    editable = page.frame_locator(".cke_wysiwyg_frame").locator("body")
    assert editable.get_attribute("contenteditable") == "true"
    editable.click()
    page.keyboard.type(BODY_TEXT)
    # Toolbar buttons are inline handlers (onclick=...): one that opens a dialog proves they run.
    page.locator(".cke_button__link").click()
    page.locator(".cke_dialog").wait_for()
    page.keyboard.press("Escape")

    # The editor's upload request gets through the policy (the server's answer comes back:
    # no alt text, so nothing stored), and a library picture shows inside the editing frame.
    png = base64.b64encode(image_bytes(fmt="PNG", size=(80, 60), color="seagreen")).decode()
    result = page.evaluate(UPLOAD_THROUGH_CKEDITOR, [png, "pic.png", "image/png"])
    assert result["status"] == "error" and "alt text" in result["message"], result
    picture = make_image(alt_text="x", data=image_bytes(fmt="PNG", size=(80, 60), color="seagreen"))
    page.evaluate(
        "url => CKEDITOR.instances.id_body.insertHtml(`<p><img src='${url}' alt='x' width='80' height='60'></p>`)",
        picture.url,
    )
    frame_img = page.frame_locator(".cke_wysiwyg_frame").locator(f"img[src='{picture.url}']")
    frame_img.wait_for()
    wait_until(
        page,
        "() => [...document.querySelector('.cke_wysiwyg_frame').contentDocument.images].every(i => i.complete && i.naturalWidth)",
    )
    assert BODY_TEXT in page.evaluate("CKEDITOR.instances.id_body.getData()")

    assert csp_violations(page) == []
    assert page.errors == []
