"""Pictures in a real Chromium: the focal point marker, the picture chooser, alt text required.

Same set-up as tests/system/browser/test_browser.py (its fixtures are reused): Debian's Chromium
through Playwright against the live server; skipped without Chromium.
"""

from pathlib import Path

import pytest

from articles.models import Article, Author, Image
from tests.factories import image_bytes, make_article, make_image
from tests.system.browser import test_browser
from tests.system.browser.test_browser import csp_violations, csp_watched_page, log_in, wait_until

_allow_orm_beside_playwright = test_browser._allow_orm_beside_playwright
browser = test_browser.browser
new_context = test_browser.new_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
EDITOR_READY = "window.CKEDITOR && CKEDITOR.instances.id_body && CKEDITOR.instances.id_body.status === 'ready'"


def staff_page(new_context, user, width=1280, height=900):
    page = csp_watched_page(lambda: new_context(viewport={"width": width, "height": height}))
    log_in(page, user)
    return page


def centre(box):
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


@pytest.mark.parametrize("width", [390, 1280, 1440])
def test_the_focal_point_marker_sits_where_you_clicked(new_context, editor, width):
    image = make_image(alt_text="Quay", data=image_bytes(size=(1200, 800), color="teal"))
    page = staff_page(new_context, editor, width=width)
    page.goto(f"/admin/articles/image/{image.pk}/change/", wait_until="load")
    picture = page.locator(".newsroom-focal__picture")
    picture.scroll_into_view_if_needed()
    box = picture.bounding_box()
    click = (box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.6)
    picture.click(position={"x": box["width"] * 0.3, "y": box["height"] * 0.6})
    marker = page.locator(".newsroom-focal__marker")
    assert marker.is_visible()
    x, y = centre(marker.bounding_box())
    assert abs(x - click[0]) <= 3 and abs(y - click[1]) <= 3, (width, (x, y), click)
    # Where it is drawn after a reload, from the saved value, too.
    page.get_by_role("button", name="Save and continue editing").click()
    page.wait_for_url(f"**/admin/articles/image/{image.pk}/change/")
    page.locator(".newsroom-focal__picture").scroll_into_view_if_needed()
    box = page.locator(".newsroom-focal__picture").bounding_box()
    x, y = centre(page.locator(".newsroom-focal__marker").bounding_box())
    assert abs(x - (box["x"] + box["width"] * 0.3)) <= 3 and abs(y - (box["y"] + box["height"] * 0.6)) <= 3
    image.refresh_from_db()
    assert abs(image.focal_x - 0.3) < 0.01 and abs(image.focal_y - 0.6) < 0.01
    assert csp_violations(page) == [] and page.errors == []
