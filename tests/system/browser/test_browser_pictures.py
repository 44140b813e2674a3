"""Pictures in a real Chromium: the focal point marker, the picture chooser, alt text required.

Same set-up as tests/system/browser/test_browser.py (its fixtures are reused): Debian's Chromium
through Playwright against the live server; skipped without Chromium.
"""

import base64
from pathlib import Path

import pytest

from articles.models import Author, Image
from tests.factories import image_bytes, make_article, make_image
from tests.system.browser import test_browser
from tests.system.browser.test_browser import csp_violations, csp_watched_page, log_in, wait_until

_allow_orm_beside_playwright = test_browser._allow_orm_beside_playwright
browser = test_browser.browser
new_context = test_browser.new_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

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


def open_chooser(page, field="lead_image"):
    with page.expect_popup() as popup_info:
        page.locator(f".field-{field} .newsroom-chooser__open").click()
    chooser = popup_info.value
    chooser.errors, chooser.csp_console = [], []
    chooser.on(
        "console",
        lambda message: "Content Security Policy" in message.text and chooser.csp_console.append(message.text),
    )
    chooser.on("pageerror", lambda error: chooser.errors.append(str(error)))
    chooser.wait_for_load_state("load")
    return chooser


def test_the_lead_image_chooser_searches_and_picks_a_picture(new_context, editor):
    quay = make_image(
        alt_text="Fishing boats tied up at the quay at dawn, their nets drying on the harbour wall in the first light",
        original_name="IMG_2041.jpg",
        data=image_bytes(size=(900, 600), color="steelblue"),
    )
    make_image(alt_text="The town hall", original_name="hall.png", data=image_bytes(size=(600, 400), color="orange"))
    make_article(title="Old story", lead_image=quay, lead_caption="Boats home for the winter")
    page = staff_page(new_context, editor)
    page.goto("/admin/articles/article/add/")
    wait_until(page, EDITOR_READY)
    assert page.locator(".field-lead_image .newsroom-chooser__label").inner_text() == "No picture chosen"

    chooser = open_chooser(page)
    tiles = chooser.locator(".newsroom-grid__tile")
    assert tiles.count() == 2  # a grid of thumbnails, newest first
    assert tiles.first.locator("img").evaluate("img => img.complete && img.naturalWidth") > 0
    # By original file name, then by a caption the picture has in an article.
    chooser.locator("#searchbar").fill("IMG_2041")
    chooser.locator("#searchbar").press("Enter")
    chooser.wait_for_load_state("load")
    assert tiles.count() == 1
    chooser.locator("#searchbar").fill("winter")
    chooser.locator("#searchbar").press("Enter")
    chooser.wait_for_load_state("load")
    assert tiles.count() == 1
    label = tiles.first.locator(".newsroom-grid__label").inner_text()
    assert label.endswith("…") and len(label) <= 80 and quay.alt_text.startswith(label[:-1])
    assert quay.alt_text[len(label) - 1] == " "  # cut at a word boundary
    assert csp_violations(chooser) == [] and chooser.errors == []
    with chooser.expect_event("close"):
        tiles.first.locator(".newsroom-grid__pick").click()

    assert page.locator("#id_lead_image").input_value() == str(quay.pk)
    wait_until(page, "document.querySelector('.field-lead_image .newsroom-chooser__label a') !== null")
    assert page.locator(".field-lead_image .newsroom-chooser__label").inner_text() == label
    assert page.locator(".field-lead_image .newsroom-chooser__thumb").is_visible()
    assert csp_violations(page) == [] and page.errors == []


def test_uploading_from_the_chooser_needs_alt_text_and_picks_the_new_picture(new_context, editor, tmp_path):
    make_image(alt_text="The town hall", data=image_bytes(size=(600, 400), color="orange"))
    author = Author.objects.create(name="Ann Lee", slug="ann-lee")
    page = staff_page(new_context, editor)
    page.goto(f"/admin/articles/author/{author.pk}/change/")
    chooser = open_chooser(page, field="photo")
    chooser.get_by_role("link", name="Upload a picture").click()
    chooser.wait_for_load_state("load")
    upload = tmp_path / "Ann portrait.jpg"
    upload.write_bytes(image_bytes(size=(400, 600), color="peru"))
    chooser.locator("#id_file").set_input_files(upload)
    chooser.get_by_role("button", name="Save", exact=True).click()
    chooser.wait_for_load_state("load")
    assert "Every picture needs alt text" in chooser.locator(".field-alt_text .errorlist").inner_text()
    assert Image.objects.count() == 1
    test_browser.ARTIFACTS.mkdir(exist_ok=True)
    chooser.screenshot(path=test_browser.ARTIFACTS / "chooser-upload-needs-alt-text.png", full_page=True)

    chooser.locator("#id_file").set_input_files(upload)
    chooser.locator("#id_alt_text").fill("Ann Lee smiling in the newsroom")
    with chooser.expect_event("close"):
        chooser.get_by_role("button", name="Save", exact=True).click()

    new = Image.objects.get(original_name="Ann portrait.jpg")
    assert (new.alt_text, new.uploaded_by) == ("Ann Lee smiling in the newsroom", editor)
    assert page.locator("#id_photo").input_value() == str(new.pk)
    wait_until(page, "document.querySelector('.field-photo .newsroom-chooser__label a') !== null")
    assert page.locator(".field-photo .newsroom-chooser__label").inner_text() == "Ann Lee smiling in the newsroom"
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/admin/articles/author/")
    author.refresh_from_db()
    assert author.photo == new
    assert csp_violations(page) == [] and page.errors == []


def test_a_decorative_picture_is_stored_with_an_empty_alt_on_purpose(new_context, editor, tmp_path):
    page = staff_page(new_context, editor)
    page.goto("/admin/articles/image/add/")
    upload = tmp_path / "divider.png"
    upload.write_bytes(image_bytes(fmt="PNG", size=(600, 20), color="silver"))
    page.locator("#id_file").set_input_files(upload)
    page.locator("#id_alt_text").fill("A grey line")
    page.locator("#id_decorative").check()
    assert page.locator("#id_alt_text").is_disabled()  # a decorative picture sends no alt text
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/admin/articles/image/")
    image = Image.objects.get()
    assert (image.alt_text, image.decorative, image.original_name) == ("", True, "divider.png")
    assert csp_violations(page) == [] and page.errors == []


def test_the_editor_refuses_an_upload_without_alt_text_and_its_image_dialog_browses_the_chooser(new_context, editor):
    quay = make_image(alt_text="Boats at the quay", data=image_bytes(size=(900, 600), color="steelblue"))
    page = staff_page(new_context, editor)
    page.goto("/admin/articles/article/add/")
    wait_until(page, EDITOR_READY)
    png = base64.b64encode(image_bytes(fmt="PNG", size=(80, 60), color="seagreen")).decode()
    result = page.evaluate(test_browser.UPLOAD_THROUGH_CKEDITOR, [png, "pasted.png", "image/png"])
    assert result["status"] == "error" and "needs alt text" in result["message"]
    assert Image.objects.count() == 1

    page.locator(".cke_button__image").click()
    page.locator(".cke_dialog").wait_for()
    with page.expect_popup() as popup_info:
        page.locator(".cke_dialog a.cke_dialog_ui_button", has_text="Browse Server").click()
    chooser = popup_info.value
    chooser.wait_for_load_state("load")
    with chooser.expect_event("close"):
        chooser.locator(".newsroom-grid__pick").first.click()
    dialog_inputs = page.locator(".cke_dialog input.cke_dialog_ui_input_text")
    assert dialog_inputs.first.input_value() == quay.url
    assert "Boats at the quay" in [dialog_inputs.nth(n).input_value() for n in range(dialog_inputs.count())]
    assert page.errors == []


SAMPLE_PICTURES = Path(__file__).resolve().parents[3] / "articles" / "sample_content" / "images"


def test_screenshots_of_the_library_grid_and_the_chooser(new_context, editor, writer):
    """Pictures for humans (docs/screenshots/ holds the ones looked at); the checks catch only the obvious."""
    names = sorted(SAMPLE_PICTURES.glob("*.jpg"))
    if not names:
        pytest.skip("no sample pictures in articles/sample_content/images")
    images = []
    for n, path in enumerate(names):
        uploader = editor if n % 2 else writer
        described = n != 2  # one left to describe: the filter and the badge show it
        images.append(
            make_image(
                data=path.read_bytes(),
                alt_text=f"{path.stem.replace('-', ' ').capitalize()} seen from the newsroom's window"
                if described
                else "",
                original_name=f"DSC_{4100 + n}.JPG" if n % 3 else path.name,
                uploaded_by=uploader,
            )
        )
    make_article(title="Harbour reopens", lead_image=images[1], lead_caption="Back on the water")
    test_browser.ARTIFACTS.mkdir(exist_ok=True)

    page = staff_page(new_context, editor, width=1280, height=900)
    page.goto("/admin/articles/image/?view=grid", wait_until="load")
    assert page.locator(".newsroom-grid__tile").count() == len(names)
    assert page.locator(".newsroom-badge--warning").count() == 1
    page.screenshot(path=test_browser.ARTIFACTS / "library-grid-1280.png", full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the library scrolls sideways by {overflow}px"

    page.goto("/admin/articles/article/add/")
    wait_until(page, EDITOR_READY)
    chooser = open_chooser(page)
    chooser.set_viewport_size({"width": 1000, "height": 760})
    chooser.get_by_role("link", name="Missing").click()
    chooser.wait_for_load_state("load")
    assert chooser.locator(".newsroom-grid__tile").count() == 1
    chooser.get_by_role("link", name="All").first.click()
    chooser.wait_for_load_state("load")
    wait_until(chooser, "[...document.images].every((img) => img.complete)")
    chooser.screenshot(path=test_browser.ARTIFACTS / "chooser-1000.png")
    with chooser.expect_event("close"):
        chooser.locator(".newsroom-grid__pick").nth(1).click()
    wait_until(page, "document.querySelector('.field-lead_image .newsroom-chooser__label a') !== null")
    page.locator(".field-lead_image").scroll_into_view_if_needed()
    page.locator(".field-lead_image").screenshot(path=test_browser.ARTIFACTS / "lead-image-chosen.png")
    assert csp_violations(page) == [] and page.errors == []
