"""The editorial workflow in a real Chromium: review and publish, restore a revision, autosave.

Same set-up as tests/test_browser.py (its fixtures are reused): Debian's
Chromium through Playwright against the live server; skipped without Chromium.
"""

import pytest

from articles.editorial import workflow
from articles.models import Article
from tests.factories import image_bytes, make_article, make_image
from tests.system.browser import test_browser
from tests.system.browser.test_browser import csp_violations, csp_watched_page, log_in, wait_until

# The browser fixtures of tests/test_browser.py, by the names pytest looks for.
_allow_orm_beside_playwright = test_browser._allow_orm_beside_playwright
browser = test_browser.browser
new_context = test_browser.new_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

EDITOR_READY = "window.CKEDITOR && CKEDITOR.instances.id_body && CKEDITOR.instances.id_body.status === 'ready'"


def staff_page(new_context, user):
    page = csp_watched_page(new_context)
    log_in(page, user)
    return page


def open_change_form(page, article):
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    wait_until(page, EDITOR_READY)


def type_in_body(page, text):
    page.frame_locator(".cke_wysiwyg_frame").locator("body").click()
    page.keyboard.press("End")
    page.keyboard.type(text)


def test_writer_submits_editor_publishes_reader_reads(new_context, writer, editor):
    page = staff_page(new_context, writer)
    page.goto("/admin/articles/article/add/")
    wait_until(page, EDITOR_READY)
    assert page.locator("#id_status").count() == 0  # writers cannot choose a state
    page.locator("#id_title").fill("Ferry timetable changes")
    page.locator("#id_standfirst").fill("Boats every twenty minutes from June.")
    type_in_body(page, "The council agreed the new timetable on Monday.")
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_url("**/admin/articles/article/")
    assert "Submitted for review" in page.locator(".messagelist").inner_text()
    article = Article.objects.get()
    assert article.status == Article.Status.REVIEW
    assert csp_violations(page) == [] and page.errors == []

    page = staff_page(new_context, editor)
    page.goto("/admin/articles/article/?state=review")
    page.get_by_role("link", name="Ferry timetable changes").click()
    wait_until(page, EDITOR_READY)
    page.locator("#id_status").select_option("published")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/admin/articles/article/?state=review")  # back to the list it came from
    article.refresh_from_db()
    assert article.is_live
    assert [event.action for event in article.events.order_by("pk")] == ["submitted", "published"]
    assert csp_violations(page) == [] and page.errors == []

    reader = new_context().new_page()
    response = reader.goto(article.get_absolute_url())
    assert response.status == 200
    assert reader.locator(".article__title").inner_text() == "Ferry timetable changes"
    assert "The council agreed the new timetable on Monday." in reader.locator(".article__body").inner_text()


def test_editor_restores_an_earlier_revision(new_context, editor):
    article = make_article(title="Harbour opens", body="<p>The boats are back.</p>")
    workflow.save(article=article, user=editor)
    article.title, article.body = "Harbour reopens", "<p>The ferries are back.</p>"
    workflow.save(article=article, user=editor)

    page = staff_page(new_context, editor)
    page.goto(f"/admin/articles/article/{article.pk}/history/")
    rows = page.locator("#change-history tbody tr")
    assert rows.count() == 2
    rows.nth(1).locator("th a").click()  # the older one
    assert page.locator(".newsroom-diff del").first.inner_text().strip() == "opens"
    page.get_by_role("button", name="Restore this revision").click()
    page.wait_for_url(f"**/admin/articles/article/{article.pk}/change/")
    assert "Restored the revision of" in page.locator(".messagelist").inner_text()
    assert page.locator("#id_title").input_value() == "Harbour opens"
    assert csp_violations(page) == [] and page.errors == []

    article.refresh_from_db()
    assert (article.title, article.body) == ("Harbour opens", "<p>The boats are back.</p>")
    reader = new_context().new_page()
    reader.goto(article.get_absolute_url())
    assert reader.locator(".article__title").inner_text() == "Harbour opens"


def test_autosave_offers_unsaved_text_after_a_reload_and_restores_it(new_context, editor):
    article = make_article(title="Harbour", body="<p>Saved words.</p>", status=Article.Status.DRAFT)
    page = staff_page(new_context, editor)
    open_change_form(page, article)
    type_in_body(page, " Unsaved sentence.")
    # The autosave timer (every few seconds) has stored it once localStorage holds a copy with the new words.
    wait_until(
        page,
        "Object.keys(localStorage).some((k) => k.startsWith('newsroom-autosave:')"
        " && localStorage.getItem(k).includes('Unsaved sentence.'))",
    )

    page.reload()
    wait_until(page, EDITOR_READY)
    notice = page.locator(".newsroom-autosave")
    notice.wait_for()
    assert "kept text you had not saved" in notice.inner_text()
    assert "Unsaved sentence." not in page.evaluate("CKEDITOR.instances.id_body.getData()")
    notice.get_by_role("button", name="Restore my unsaved text").click()
    assert "Unsaved sentence." in page.evaluate("CKEDITOR.instances.id_body.getData()")
    assert notice.count() == 0
    assert Article.objects.get().body == "<p>Saved words.</p>"  # restored into the form, not saved

    # Someone else saves meanwhile: the notice says the saved article is newer and shows both.
    wait_until(page, "Object.keys(localStorage).some((k) => localStorage.getItem(k).includes('Unsaved sentence.'))")
    article.refresh_from_db()
    article.body = "<p>Another editor wrote this.</p>"
    workflow.save(article=article, user=editor)
    page.reload()
    wait_until(page, EDITOR_READY)
    notice = page.locator(".newsroom-autosave--newer")
    notice.wait_for()
    assert "saved again after that text was written" in notice.inner_text()
    assert "Another editor wrote this." in page.evaluate("CKEDITOR.instances.id_body.getData()")
    notice.get_by_role("button", name="Discard it").click()
    assert "Unsaved sentence." not in page.evaluate("CKEDITOR.instances.id_body.getData()")
    assert csp_violations(page) == [] and page.errors == []


def test_clicking_the_picture_sets_the_focal_point(new_context, editor):
    image = make_image(alt_text="Quay", data=image_bytes(size=(400, 200), color="teal"))
    page = staff_page(new_context, editor)
    page.goto(f"/admin/articles/image/{image.pk}/change/")
    picture = page.locator(".newsroom-focal__picture")
    box = picture.bounding_box()
    picture.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.75})
    assert page.locator(".newsroom-focal__marker").is_visible()
    assert abs(float(page.locator("#id_focal_x").input_value()) - 0.25) < 0.02
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/admin/articles/image/")
    image.refresh_from_db()
    assert abs(image.focal_x - 0.25) < 0.02 and abs(image.focal_y - 0.75) < 0.02
    assert csp_violations(page) == [] and page.errors == []
