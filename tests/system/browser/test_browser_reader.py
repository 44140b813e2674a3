"""Readers' pages in a real Chromium: axe-core finds nothing serious, pictures load, screenshots for people.

Same set-up as tests/test_browser.py (its fixtures are reused): Debian's
Chromium through Playwright against the live server; skipped without
Chromium. axe-core comes inside the axe-playwright-python package (pinned in
requirements-dev.txt), so nothing is fetched at test time. Screenshots of the
home and article pages at 390 and 1280 px go to test-artifacts/ (git-ignored)
for a person to look at.
"""

import contextlib

import pytest
from django.urls import NoReverseMatch, reverse

from articles import sample_content
from articles.models import Article
from tests.system.browser import test_browser
from tests.system.browser.test_browser import ARTIFACTS, RECORD_CSP_VIOLATIONS, csp_violations, wait_until

axe_playwright = pytest.importorskip("axe_playwright_python.sync_playwright", reason="axe-playwright-python missing")

# The browser fixtures of tests/test_browser.py, by the names pytest looks for.
_allow_orm_beside_playwright = test_browser._allow_orm_beside_playwright
browser = test_browser.browser
new_context = test_browser.new_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WIDTHS = {
    390: {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2},
    1280: {"viewport": {"width": 1280, "height": 900}},
}
BLOCKING = {"serious", "critical"}
ALL_LOADED = "Array.from(document.images).every((img) => img.complete)"


def reader_urls() -> dict[str, str]:
    sample_content.load()
    article = Article.objects.published().exclude(lead_image=None).order_by("-publish_at").first()
    keyword = article.keywords.order_by("name").first()
    urls = {"home": "/", "article": article.get_absolute_url(), "keyword": keyword.get_absolute_url()}
    with contextlib.suppress(NoReverseMatch):  # the search page is another part of the site
        urls["search"] = reverse("articles:search") + "?q=harbour"
    return urls


def blocking_violations(page) -> list[str]:
    results = axe_playwright.Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[node['target'] for node in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]


def load_every_picture(page) -> None:
    """Scroll to the end, a screen at a time, so lazy pictures load too (a jump to the end skips
    those in between on a long page), wait for all of them, and for their decoding."""
    height = page.evaluate("document.documentElement.scrollHeight")
    step = page.evaluate("window.innerHeight")
    for top in range(0, height + step, step):
        page.evaluate(f"window.scrollTo(0, {top})")
        page.wait_for_timeout(50)
    wait_until(page, ALL_LOADED)
    page.evaluate("Promise.all(Array.from(document.images).map((img) => img.decode().catch(() => null)))")
    page.evaluate("window.scrollTo(0, 0)")


def test_axe_reports_what_it_should(new_context):
    """The checker itself: a picture without alt text is a critical violation."""
    page = new_context().new_page()
    page.set_content('<!doctype html><html lang="en"><title>t</title><main><img src="x.png"></main></html>')
    assert any(v.startswith("image-alt (critical)") for v in blocking_violations(page))


def test_reader_pages_pass_axe_load_their_pictures_and_pick_renditions(new_context):
    urls = reader_urls()
    ARTIFACTS.mkdir(exist_ok=True)
    problems = []
    # Light at both widths; the dark scheme (its own palette, so its own contrast) at the phone width.
    for width, scheme in [(390, "light"), (1280, "light"), (390, "dark")]:
        context = new_context(color_scheme=scheme, **WIDTHS[width])
        context.add_init_script(RECORD_CSP_VIOLATIONS)  # axe runs under the same strict policy as readers
        page = context.new_page()
        page.csp_console = []
        for name, url in urls.items():
            if scheme == "dark" and name not in ("home", "article"):
                continue
            response = page.goto(url, wait_until="load")
            assert response.status == 200, url
            load_every_picture(page)
            problems += [f"{name} at {width}px, {scheme}: {v}" for v in blocking_violations(page)]
            broken = page.evaluate(
                "Array.from(document.images).filter((img) => !img.naturalWidth).map((img) => img.src)"
            )
            assert broken == [], f"{name} at {width}px: pictures that did not load: {broken}"
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {width}px"
            if scheme == "light" and name in ("home", "article"):
                page.screenshot(path=ARTIFACTS / f"reader-{name}-{width}.png", full_page=True)
            if (name, width, scheme) == ("article", 390, "light"):
                check_phone_lead_picture(page)
            if (name, width) == ("home", 1280):
                check_desktop_featured_card(page)
        assert csp_violations(page) == []
    assert problems == [], "\n".join(problems)
    for name in ("home", "article"):
        for width in WIDTHS:
            assert (ARTIFACTS / f"reader-{name}-{width}.png").stat().st_size > 10_000
    if "search" not in urls:
        pytest.skip("home, article and keyword pages pass; there is no search page (articles:search) to check")


def check_phone_lead_picture(page):
    lead = page.locator("figure.figure--lead img")
    # 390 CSS px at 2x is 716 device pixels for the lead (100vw - 2rem): the 960 px WebP.
    assert lead.evaluate("img => img.currentSrc").endswith("/960.webp")
    box = lead.bounding_box()
    assert round(box["width"]) == 358
    assert abs(box["height"] - 358 * 900 / 1600) < 1.5  # the picture's own shape


def check_desktop_featured_card(page):
    featured = page.locator(".card--featured img")
    assert featured.get_attribute("fetchpriority") == "high"
    source = featured.evaluate("img => img.currentSrc")
    assert "/3x2-" in source and source.endswith(".webp")  # the card crop, in WebP
