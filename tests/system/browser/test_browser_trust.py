"""Editorial trust in a real Chromium: a writer's change to a live story waits for an editor, who
compares it, sends it back, then publishes it with a correction readers see.

Same set-up as test_browser.py (its fixtures are reused): Debian's Chromium through Playwright
against the live server; skipped without Chromium. With NEWSROOM_SCREENSHOTS set, the pages a
human should look at are saved under /tmp/trust-shots/; CI leaves it unset and writes nothing.
"""

import os
import tempfile
from pathlib import Path

import pytest

from articles.models import Article, Correction, PendingChange
from tests.factories import make_article
from tests.system.browser import test_browser
from tests.system.browser.test_browser import csp_violations, csp_watched_page, log_in
from tests.system.browser.test_browser_workflow import open_change_form, type_in_body

# The browser fixtures of test_browser.py, by the names pytest looks for.
_allow_orm_beside_playwright = test_browser._allow_orm_beside_playwright
browser = test_browser.browser
new_context = test_browser.new_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOTS = Path(tempfile.gettempdir()) / "trust-shots"  # /tmp/trust-shots on Linux

OLD_TITLE = "Harbour reopens to boats"
OLD_BODY = "The harbour is open again after two years of works."
NEW_TITLE = "Harbour reopens to boats and the ferry"
ADDED = " The ferry returns on Monday."
SECOND_ADDED = " Its first crossing leaves at seven."
RETURN_NOTE = "Say which ferry: the island one or the coastal one?"
CORRECTION_NOTE = "An earlier version said only fishing boats were back; the ferry is too."


def screenshot(page, name):
    """A full-page PNG for a human to look at, only when NEWSROOM_SCREENSHOTS is set."""
    if not os.environ.get("NEWSROOM_SCREENSHOTS"):
        return
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def staff_page(new_context, user):
    page = csp_watched_page(new_context)
    log_in(page, user)
    return page


def assert_clean(page):
    assert csp_violations(page) == []
    assert page.errors == []


def reader_sees(new_context, article):
    """The article page as a reader (a fresh context, no admin session) gets it."""
    reader = csp_watched_page(new_context)
    response = reader.goto(article.get_absolute_url(), wait_until="load")
    assert response.status == 200
    return reader


def test_writer_change_waits_editor_sends_back_then_publishes_with_correction(new_context, writer, editor):
    article = make_article(title=OLD_TITLE, slug="harbour-reopens", body=f"<p>{OLD_BODY}</p>")

    # a. The writer edits the live story: the change waits, readers still see the published one.
    page = staff_page(new_context, writer)
    open_change_form(page, article)
    assert "This article is published. Saving keeps your change apart" in page.locator(".submit-row").first.inner_text()
    page.locator("#id_title").fill(NEW_TITLE)
    type_in_body(page, ADDED)
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(f"**/admin/articles/article/{article.pk}/change/")
    assert f"Your change to “{NEW_TITLE}” is waiting for an editor." in page.locator(".messagelist").inner_text()
    notice = page.locator(".newsroom-pending")
    assert "is waiting for an editor. This form shows it; readers see the published version." in notice.inner_text()
    assert page.locator("#id_title").input_value() == NEW_TITLE  # the form shows the change
    screenshot(page, "1-writer-form-after-save")
    assert_clean(page)

    article.refresh_from_db()
    assert (article.title, article.status) == (OLD_TITLE, Article.Status.PUBLISHED)
    assert PendingChange.objects.get(article=article).fields["title"] == NEW_TITLE
    reader = reader_sees(new_context, article)
    assert reader.locator(".article__title").inner_text() == OLD_TITLE
    body = reader.locator(".article__body").inner_text()
    assert OLD_BODY in body and ADDED.strip() not in body
    assert reader.locator(".corrections").count() == 0
    assert_clean(reader)

    # b. An editor finds it by the list filter, compares, and sends it back with a note.
    desk = staff_page(new_context, editor)
    desk.goto("/admin/articles/article/")
    desk.locator("#changelist-filter").get_by_role("link", name="Change waiting for review").click()
    desk.wait_for_url("**/admin/articles/article/?state=change")
    rows = desk.locator("#result_list tbody tr")
    assert rows.count() == 1
    assert "change waiting for review" in rows.first.inner_text()
    rows.first.get_by_role("link", name=OLD_TITLE).click()
    desk.get_by_role("link", name="Compare it with the published version").click()
    desk.wait_for_url(f"**/admin/articles/article/{article.pk}/pending/compare/")
    marked = desk.locator(".newsroom-diff ins").all_inner_texts()
    assert any("ferry" in text for text in marked), marked
    screenshot(desk, "2-compare-page")
    desk.locator("#id_note").fill(RETURN_NOTE)
    desk.get_by_role("button", name="Send back").click()
    desk.wait_for_url(f"**/admin/articles/article/{article.pk}/change/")
    assert "went back to its writer with your note" in desk.locator(".messagelist").inner_text()
    assert_clean(desk)

    page.reload()
    page.locator(".newsroom-pending--returned").wait_for()
    assert "An editor sent this change back on" in page.locator(".newsroom-pending").inner_text()
    assert RETURN_NOTE in page.locator(".newsroom-pending").inner_text()
    screenshot(page, "1b-writer-form-sent-back")
    open_change_form(page, article)
    type_in_body(page, SECOND_ADDED)
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(f"**/admin/articles/article/{article.pk}/change/")
    assert "is waiting for an editor" in page.locator(".newsroom-pending").inner_text()
    assert PendingChange.objects.get(article=article).waiting
    assert_clean(page)

    # c. The editor publishes it as a correction: readers see the new story and the note.
    desk.goto(f"/admin/articles/article/{article.pk}/pending/compare/")
    assert desk.locator("#id_note").count() == 1  # waiting again: it can be sent back again
    desk.locator("#id_correction_kind").select_option(label="Correction")
    desk.locator("#id_correction_note").fill(CORRECTION_NOTE)
    desk.get_by_role("button", name="Publish the change").click()
    desk.wait_for_url(f"**/admin/articles/article/{article.pk}/change/")
    assert desk.locator(".newsroom-pending").count() == 0
    assert_clean(desk)

    article.refresh_from_db()
    assert article.title == NEW_TITLE
    assert not PendingChange.objects.filter(article=article).exists()
    correction = Correction.objects.get(article=article)
    assert (correction.kind, correction.note) == (Correction.Kind.CORRECTION, CORRECTION_NOTE)

    reader = reader_sees(new_context, article)
    assert reader.locator(".article__title").inner_text() == NEW_TITLE
    body = reader.locator(".article__body").inner_text()
    assert ADDED.strip() in body and SECOND_ADDED.strip() in body
    section = reader.locator("section.corrections")
    assert section.locator("h2").inner_text() == "Corrections and updates"
    item = section.locator(".corrections__item--correction")
    assert item.count() == 1
    assert item.locator("strong").inner_text() == "Correction"
    assert CORRECTION_NOTE in item.inner_text()
    assert item.locator("time").get_attribute("datetime")
    # Under the body, not above it.
    assert reader.evaluate(
        "document.querySelector('.article__body').compareDocumentPosition("
        "document.querySelector('section.corrections')) & Node.DOCUMENT_POSITION_FOLLOWING"
    )
    screenshot(reader, "3-article-with-correction")
    assert_clean(reader)

    reader.goto("/corrections/", wait_until="load")
    listed = reader.locator(".corrections-page__item")
    assert listed.count() == 1
    link = listed.get_by_role("link", name=NEW_TITLE)
    assert link.get_attribute("href") == article.get_absolute_url()
    assert CORRECTION_NOTE in listed.inner_text()
    assert listed.locator("time").count() == 1
    screenshot(reader, "4-corrections-page")
    link.click()
    reader.wait_for_url(f"**{article.get_absolute_url()}")
    assert reader.locator(".article__title").inner_text() == NEW_TITLE
    assert_clean(reader)

    # On a phone, neither page scrolls sideways.
    phone = new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True).new_page()
    for url in [article.get_absolute_url(), "/corrections/"]:
        phone.goto(url, wait_until="load")
        overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{url} scrolls sideways by {overflow}px at 390px"


def test_editor_publishes_a_direct_edit_with_an_update_note(new_context, editor):
    article = make_article(title="Ferry timetable", slug="ferry-timetable", body="<p>Boats every hour.</p>")
    note = "Updated with the council's vote on Tuesday evening."

    desk = staff_page(new_context, editor)
    open_change_form(desk, article)
    fieldset = desk.locator("fieldset", has=desk.locator("h2", has_text="Correction or update"))
    assert fieldset.count() == 1
    type_in_body(desk, " The council voted for boats every twenty minutes.")
    fieldset.locator("#id_correction_kind").select_option(label="Update")
    fieldset.locator("#id_correction_note").fill(note)
    screenshot(desk, "5-editor-form-update-fieldset")
    desk.get_by_role("button", name="Save", exact=True).click()
    desk.wait_for_url("**/admin/articles/article/")
    assert "Correction or update published" in desk.locator(".messagelist").inner_text()
    assert_clean(desk)

    assert not PendingChange.objects.filter(article=article).exists()
    correction = Correction.objects.get(article=article)
    assert (correction.kind, correction.note) == (Correction.Kind.UPDATE, note)

    reader = reader_sees(new_context, article)
    assert "The council voted for boats every twenty minutes." in reader.locator(".article__body").inner_text()
    item = reader.locator("section.corrections .corrections__item--update")
    assert item.locator("strong").inner_text() == "Update"
    assert note in item.inner_text()
    screenshot(reader, "6-article-with-update")
    # /corrections/ lists corrections only; an update is news, not a mistake.
    reader.goto("/corrections/", wait_until="load")
    assert reader.locator(".corrections-page__item").count() == 0
    assert reader.locator(".empty").inner_text() == "No corrections yet."
    assert_clean(reader)
