"""The editor's writing screens in a real Chromium: the article list fits the screen, the counts
under the editor and the headline, the sticky save bar, the body search.

Same set-up as tests/system/browser/test_browser.py (its fixtures are reused). With
NEWSROOM_SCREENSHOTS set, the screens are saved to docs/screenshots/ for people to look at.
"""

import os
from pathlib import Path

import pytest
from django.utils import timezone

from articles.models import Article, Document, PendingChange
from tests.factories import image_bytes, make_article, make_author, make_image, make_section
from tests.system.browser import test_browser
from tests.system.browser.test_browser import csp_violations, csp_watched_page, log_in, wait_until

_allow_orm_beside_playwright = test_browser._allow_orm_beside_playwright
browser = test_browser.browser
new_context = test_browser.new_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
EDITOR_READY = "window.CKEDITOR && CKEDITOR.instances.id_body && CKEDITOR.instances.id_body.status === 'ready'"
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
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
        article = make_article(
            title=f"{LONG_TITLE} ({n})",
            slug=f"harbour-{n}",
            section=section,
            lead_image=picture,
            publish_at=timezone.now(),
            status=Article.Status.PUBLISHED if n % 2 else Article.Status.DRAFT,
            authors=authors,
        )
        if n == 3:  # the longest state: "Live" and "change waiting for review"
            PendingChange.objects.create(article=article, fields={}, proposed_by=None, based_on_version=1)


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
                others: Array.from(table.querySelectorAll('tbody tr:first-child td:not(.field-headline)'))
                    .map(cell => cell.getBoundingClientRect().width),
                title: document.querySelector('#result_list td.field-headline').getBoundingClientRect().width,
                thumb: document.querySelector('#result_list .newsroom-thumb').getBoundingClientRect().width,
            };
        }"""
    )
    screenshot(page, f"article-list-{width}", full_page=False)
    assert fits["page"] and fits["table"] and fits["results"], fits
    assert fits["title"] >= 2 * max(fits["others"]), fits  # the headline column is the wide one
    assert fits["thumb"] <= 48, fits
    assert_clean(page)


def count_text(page, field):
    return page.locator(f"#id_{field}_count").inner_text()


def test_counts_follow_typing_under_headline_standfirst_and_body(new_context, writer):
    page = staff_page(new_context, writer)
    page.goto("/admin/articles/article/add/")
    wait_until(page, EDITOR_READY)
    wait_until(page, "!!document.getElementById('id_body_count')")
    assert count_text(page, "body").startswith("0 words · 0 characters")

    page.locator("#id_title").fill("Harbour reopens")
    assert count_text(page, "title").startswith("15 characters · search results show about 60")
    assert "newsroom-count--over" not in page.locator("#id_title_count").get_attribute("class")
    page.locator("#id_title").fill(LONG_TITLE)
    assert count_text(page, "title").startswith(f"{len(LONG_TITLE)} characters")
    assert "newsroom-count--over" in page.locator("#id_title_count").get_attribute("class")

    page.locator("#id_standfirst").fill("Boats are back.")
    assert count_text(page, "standfirst").startswith("15 characters · search results show about 155–160")

    page.frame_locator(".cke_wysiwyg_frame").locator("body").click()
    page.keyboard.type("The harbour reopened on Monday, after two years.")
    wait_until(page, "document.getElementById('id_body_count').textContent.startsWith('8 words · 48 characters')")
    screenshot(page, "article-form-counts-1280", full_page=False)
    assert_clean(page)


def test_save_preview_and_submit_stay_in_view_while_scrolling_a_long_form(new_context, writer):
    body = "".join(f"<p>Paragraph {n} of the harbour story.</p>" for n in range(60))
    article = make_article(title="Harbour reopens", body=body, status=Article.Status.DRAFT, created_by=writer)
    page = staff_page(new_context, writer)
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    wait_until(page, EDITOR_READY)
    assert page.evaluate("document.documentElement.scrollHeight") > 2 * 900  # a form that scrolls
    buttons = [
        page.get_by_role("button", name="Save", exact=True),
        page.get_by_role("button", name="Save and continue editing"),
        page.get_by_role("button", name="Submit for review"),
        page.get_by_role("link", name="Preview", exact=True),
    ]
    for scroll in [0, 900, 10_000]:
        page.evaluate(f"window.scrollTo(0, {scroll})")
        for button in buttons:
            box = button.bounding_box()
            assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 900, (scroll, box)
    page.evaluate("window.scrollTo(0, 700)")
    screenshot(page, "article-form-sticky-bar-1280", full_page=False)
    with page.expect_popup() as popup:
        page.get_by_role("link", name="Preview", exact=True).click()
    assert "Paragraph 59 of the harbour story." in popup.value.locator("body").inner_text()
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_url("**/admin/articles/article/")
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW
    assert_clean(page)


def test_list_search_finds_a_word_only_in_the_body(new_context, editor):
    make_article(title="Harbour reopens", body="<p>The lighthouse keeper retired.</p>", status=Article.Status.DRAFT)
    make_article(title="Council budget", body="<p>Rates rise.</p>")
    page = staff_page(new_context, editor)
    page.goto("/admin/articles/article/")
    page.locator("#searchbar").fill("lighthouse")
    page.locator("#searchbar").press("Enter")
    page.wait_for_url("**/admin/articles/article/?q=lighthouse")
    assert page.locator("#result_list td.field-headline").all_inner_texts() == ["Harbour reopens"]
    assert_clean(page)


def test_editor_changes_the_section_of_two_articles_from_the_list(new_context, editor):
    make_section("Sport")
    local = make_section("Local")
    chosen = [make_article(title="Harbour reopens", slug="a"), make_article(title="Budget agreed", slug="b")]
    make_article(title="Left alone", slug="c")
    page = staff_page(new_context, editor)
    page.goto("/admin/articles/article/")
    for article in chosen:
        page.locator(f"input.action-select[value='{article.pk}']").check()
    page.locator("select[name=action]").select_option("change_section_and_keywords")
    page.get_by_role("button", name="Go").click()
    page.locator(".field-section .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill("Loc")
    page.locator(".select2-results__option", has_text="Local").click()
    screenshot(page, "article-list-bulk-change-1280", full_page=False)
    page.get_by_role("button", name="Change the selected articles").click()
    page.wait_for_url("**/admin/articles/article/")
    assert "Changed 2 article(s)" in page.locator(".messagelist").inner_text()
    assert sorted(Article.objects.filter(section=local).values_list("title", flat=True)) == [
        "Budget agreed",
        "Harbour reopens",
    ]
    assert_clean(page)


def test_share_link_is_a_full_address_the_copy_button_copies(new_context, editor, live_server):
    draft = make_article(title="Harbour reopens", status=Article.Status.DRAFT)
    page = staff_page(new_context, editor)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(f"/admin/articles/article/{draft.pk}/change/")
    wait_until(page, EDITOR_READY)
    page.get_by_role("button", name="Make a share link").click()
    page.wait_for_url(f"**/admin/articles/article/{draft.pk}/change/")
    assert page.locator(".messagelist .success").count() == 1
    address = page.locator("a.newsroom-share-link").inner_text()
    assert address.startswith(f"{live_server.url}/preview/")
    page.get_by_role("button", name="Copy", exact=True).click()
    wait_until(page, "document.querySelector('.newsroom-copy__button').textContent === 'Copied'")
    assert page.evaluate("navigator.clipboard.readText()") == address
    assert_clean(page)


VISIBLE_DIALOG_TABS = """Array.from(document.querySelectorAll('.cke_dialog_tabs a.cke_dialog_tab'))
    .filter(tab => tab.offsetParent !== null).map(tab => tab.textContent.trim())"""


def open_link_dialog(page):
    page.evaluate("CKEDITOR.instances.id_body.execCommand('link')")
    wait_until(page, "CKEDITOR.dialog.getCurrent() && CKEDITOR.dialog.getCurrent().getName() === 'link'")


def test_link_dialog_uploads_a_pdf_to_the_documents_library_and_typed_addresses_get_https(new_context, editor):
    page = staff_page(new_context, editor)
    page.goto("/admin/articles/article/add/")
    wait_until(page, EDITOR_READY)
    page.frame_locator(".cke_wysiwyg_frame").locator("body").click()
    page.keyboard.type("Council minutes")
    page.keyboard.press("Shift+Home")
    open_link_dialog(page)
    assert page.evaluate("CKEDITOR.dialog.getCurrent().getValueOf('info', 'protocol')") == "https://"
    page.evaluate("CKEDITOR.dialog.getCurrent().setValueOf('info', 'url', 'council.gov.uk/minutes')")
    page.evaluate("CKEDITOR.dialog.getCurrent().click('ok')")
    assert 'href="https://council.gov.uk/minutes"' in page.evaluate("CKEDITOR.instances.id_body.getData()")

    # The Upload tab, as a person uses it: choose the file, send it; its address comes back.
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.type("The minutes as a PDF")
    page.keyboard.press("Shift+Home")
    open_link_dialog(page)
    assert "Upload" in page.evaluate(VISIBLE_DIALOG_TABS)
    page.locator("a.cke_dialog_tab", has_text="Upload").click()
    chooser = page.frame_locator(".cke_dialog_ui_input_file iframe").locator("input[type=file]")
    chooser.set_input_files({"name": "minutes.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES})
    screenshot(page, "editor-link-dialog-upload-1280", full_page=False)
    page.evaluate("CKEDITOR.dialog.getCurrent().getContentElement('upload', 'uploadButton').click()")
    wait_until(page, "CKEDITOR.dialog.getCurrent().getValueOf('info', 'url').includes('documents/')")
    document = Document.objects.get()
    assert document.original_name == "minutes.pdf" and document.extension == "pdf"
    page.evaluate("CKEDITOR.dialog.getCurrent().click('ok')")
    body = page.evaluate("CKEDITOR.instances.id_body.getData()")
    assert f'<a href="{document.url}">The minutes as a PDF</a>' in body
    assert 'href="https://council.gov.uk/minutes"' in body

    page.evaluate("CKEDITOR.instances.id_body.execCommand('image')")
    wait_until(page, "CKEDITOR.dialog.getCurrent() && CKEDITOR.dialog.getCurrent().getName() === 'image2'")
    assert "Upload" in page.evaluate(VISIBLE_DIALOG_TABS)  # pictures still upload from their dialog
    page.evaluate("CKEDITOR.dialog.getCurrent().hide()")
    assert_clean(page)
