"""The reader's layout in a real Chromium at 390 and 1280 px: no sideways scrolling, no ragged grid row, a
compact header on phones, the web font loaded from our own server.

Same set-up as test_browser.py (its fixtures are reused); skipped without Chromium.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import sample_content
from articles.models import Article, Section
from tests.factories import make_article, make_keyword
from tests.system.browser import test_browser
from tests.system.browser.test_browser_reader import WIDTHS, load_every_picture

_allow_orm_beside_playwright = test_browser._allow_orm_beside_playwright
browser = test_browser.browser
new_context = test_browser.new_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The lists of cards and teasers laid out as grids: each row of each must be full.
GRIDS = ".front-secondary, .section-block__stories, .related__list, .cards, .results, .teasers"
# For each grid: its column count and how many of its children sit in each row (by their top edge).
ROWS = """(selector) => Array.from(document.querySelectorAll(selector)).map((grid) => {
  const columns = getComputedStyle(grid).gridTemplateColumns.split(' ').filter(Boolean).length;
  const rows = {};
  for (const child of grid.children) {
    const top = Math.round(child.getBoundingClientRect().top);
    rows[top] = (rows[top] || 0) + 1;
  }
  return {name: grid.className, columns, rows: Object.values(rows)};
})"""


def front_page_urls() -> dict[str, str]:
    """Sample content, and enough more stories across its sections for every part of the front page."""
    sample_content.load()
    sections = list(Section.objects.all())
    now = timezone.now()
    for n in range(18):
        make_article(
            title=f"Story number {n} with a headline long enough to wrap",
            standfirst="What happened, in one sentence.",
            section=sections[n % len(sections)],
            publish_at=now - timedelta(hours=30 + n),
        )
    article = Article.objects.published().exclude(lead_image=None).order_by("-publish_at").first()
    # An article with four related ones (its neighbours share nothing with it, so none is left out).
    harbour = make_keyword("Harbour walls")
    lead = article.lead_image
    with_related = make_article(title="Walls", keywords=[harbour], lead_image=lead, publish_at=now - timedelta(days=9))
    make_article(title="Before", publish_at=with_related.publish_at + timedelta(hours=1))
    make_article(title="After", publish_at=with_related.publish_at - timedelta(hours=1))
    for n in range(4):
        when = with_related.publish_at - timedelta(hours=2 + n)
        make_article(title=f"Related {n}", keywords=[harbour], lead_image=lead, publish_at=when)
    return {
        "article with related": with_related.get_absolute_url(),
        "home": reverse("articles:home"),
        "home page 2": reverse("articles:home") + "?page=2",
        "article": article.get_absolute_url(),
        "search": reverse("articles:search") + "?q=harbour",
        "section": sections[0].get_absolute_url(),
    }


def test_pages_fit_the_width_fill_every_grid_row_and_keep_the_phone_header_compact(new_context):
    urls = front_page_urls()
    problems = []
    # A tablet's width too: where two-column layouts meet counts made for one or four.
    for width in (390, 800, 1280):
        page = new_context(**WIDTHS.get(width, {"viewport": {"width": width, "height": 1000}})).new_page()
        for name, url in urls.items():
            response = page.goto(url, wait_until="load")
            assert response.status == 200, url
            load_every_picture(page)
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if overflow > 0:
                problems.append(f"{name} at {width}px scrolls sideways by {overflow}px")
            for grid in page.evaluate(ROWS, GRIDS):
                if any(count != grid["columns"] for count in grid["rows"]):
                    problems.append(
                        f"{name} at {width}px: {grid['name']} has rows of {grid['rows']} in {grid['columns']} columns"
                    )
            header = page.evaluate("document.querySelector('.site-header').getBoundingClientRect().height")
            if width == 390 and header > 80:
                problems.append(f"{name}: the phone header is {header}px tall")
            if name == "article" and width == 390:
                check_phone_type(page)
            if name == "article with related":
                assert page.locator(".related__list > li").count() == 4
            if name == "home":
                assert page.locator(".front-secondary > article").count() == 4
                assert page.locator(".section-block").count() == len(Section.objects.all())
                assert page.evaluate("document.fonts.check('1em Newsreader')")
                font = page.evaluate("getComputedStyle(document.querySelector('h2')).fontFamily")
                assert font.startswith('"Newsreader"') or font.startswith("Newsreader")
    assert problems == [], "\n".join(problems)


def test_the_copy_link_button_copies_the_address(new_context, live_server):
    article = make_article(title="Quay works")
    context = new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(live_server.url + article.get_absolute_url(), wait_until="load")
    button = page.locator("button[data-copy-url]")
    button.click()
    page.wait_for_function("document.querySelector('[data-copy-status]').textContent !== ''")
    assert page.locator("[data-copy-status]").text_content() == "Link copied"
    assert page.evaluate("navigator.clipboard.readText()") == live_server.url + article.get_absolute_url()


TYPE = """() => {
  const style = (selector) => getComputedStyle(document.querySelector(selector));
  const size = (selector) => parseFloat(style(selector).fontSize);
  const credit = document.querySelector('.figure--lead .credit');
  const caption = document.querySelector('.figure--lead figcaption');
  return {
    title: size('.article__title'), standfirst: size('.standfirst'), body: size('.article__body p'),
    standfirstWeight: parseInt(style('.standfirst').fontWeight), bodyWeight: parseInt(style('.article__body p').fontWeight),
    creditDisplay: credit && getComputedStyle(credit).display, creditMargin: credit && getComputedStyle(credit).marginLeft,
    captionLeft: caption && caption.getBoundingClientRect().left,
    creditLeftmost: credit && Math.min(...Array.from(credit.getClientRects()).map((r) => r.left)),
    creditLines: credit && credit.getClientRects().length,
  };
}"""


def check_phone_type(page):
    """On a phone the standfirst is smaller than the headline and no larger or heavier than the body; the
    credit runs on after the caption, and a credit that wraps starts at the caption's margin."""
    # A long credit, so that it wraps on a phone.
    page.evaluate(
        "document.querySelector('.figure--lead .credit').textContent = 'Photograph by a long name ' + 'and more '.repeat(8)"
    )
    found = page.evaluate(TYPE)
    assert found["standfirst"] < found["title"], found
    assert found["standfirst"] <= found["body"] and found["standfirstWeight"] <= found["bodyWeight"], found
    assert found["creditDisplay"] == "inline" and found["creditMargin"] == "0px", found
    assert found["creditLines"] > 1 and abs(found["creditLeftmost"] - found["captionLeft"]) < 1, found
