"""The editor's writing screens in a real Chromium: the article list fits the screen, the counts
under the editor and the headline, the sticky save bar, the body search.

Same set-up as tests/system/browser/test_browser.py (its fixtures are reused). With
NEWSROOM_SCREENSHOTS set, the screens are saved to docs/screenshots/ for people to look at.
"""

import os
from pathlib import Path

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import image_bytes, make_article, make_author, make_image, make_section
from tests.system.browser import test_browser
from tests.system.browser.test_browser import csp_violations, csp_watched_page, log_in, wait_until

_allow_orm_beside_playwright = test_browser._allow_orm_beside_playwright
browser = test_browser.browser
new_context = test_browser.new_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
EDITOR_READY = "window.CKEDITOR && CKEDITOR.instances.id_body && CKEDITOR.instances.id_body.status === 'ready'"
LONG_TITLE = "Council approves the harbour wall repairs after a two-year row over who pays for the works"


def screenshot(page, name, full_page=True):
    """A PNG for a human to look at, only when NEWSROOM_SCREENSHOTS is set."""
    if not os.environ.get("NEWSROOM_SCREENSHOTS"):
        return
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=full_page)


def staff_page(new_context, user, width=1280, height=900):
    page = csp_watched_page(lambda: new_context(viewport={"width": width, "height": height}))
    log_in(page, user)
    return page


def assert_clean(page):
    assert csp_violations(page) == []
    assert page.errors == []


def a_full_list():
    """Articles as a newsroom's list has them: long headlines, pictures, sections, several authors."""
    section = make_section("Local news and politics")
    picture = make_image(alt_text="The harbour wall", data=image_bytes(size=(900, 600)))
    authors = [make_author("Alexandra Montgomery-Whitfield"), make_author("Bartholomew Okonkwo-Lindqvist")]
    for n in range(8):
        make_article(
            title=f"{LONG_TITLE} ({n})",
            slug=f"harbour-{n}",
            section=section,
            lead_image=picture,
            publish_at=timezone.now(),
            status=Article.Status.PUBLISHED if n % 2 else Article.Status.DRAFT,
            authors=authors,
        )


@pytest.mark.parametrize("width", [1280, 1440])
def test_article_list_fits_without_sideways_scrolling(new_context, editor, width):
    a_full_list()
    page = staff_page(new_context, editor, width=width)
    page.goto("/admin/articles/article/")
    fits = page.evaluate(
        """() => {
            const root = document.documentElement;
            const table = document.querySelector('#result_list');
            const box = table.closest('.results') || table.parentElement;
            return {
                page: root.scrollWidth <= root.clientWidth,
                table: table.getBoundingClientRect().right <= root.clientWidth,
                results: box.scrollWidth <= box.clientWidth,
                table_width: table.getBoundingClientRect().width,
                title: document.querySelector('#result_list td.field-headline').getBoundingClientRect().width,
                thumb: document.querySelector('#result_list .newsroom-thumb').getBoundingClientRect().width,
            };
        }"""
    )
    screenshot(page, f"article-list-{width}", full_page=False)
    assert fits["page"] and fits["table"] and fits["results"], fits
    assert fits["title"] >= 0.4 * fits["table_width"], fits  # the headline column is the wide one
    assert fits["thumb"] <= 48, fits
    assert_clean(page)
