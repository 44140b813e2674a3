"""Renditions (images/renditions.py): sizes, formats, orientation, colour, metadata, crops, refusals."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import transaction
from PIL import Image as PILImage
from PIL import ImageCms

from articles.images.html import picture_html, renditions_of, social_image
from articles.images.renditions import CARD_RATIO, SOCIAL_RATIO, crop_box, generate_renditions
from articles.models import Image
from tests.factories import image_bytes, make_image

pytestmark = pytest.mark.django_db


def stored_as_is(data: bytes, name: str = "raw.jpg", **fields) -> Image:
    """An Image whose stored file is exactly data: what older uploads or a hand-copied file look like."""
    image = Image(**fields)
    image.file.save(name, ContentFile(data), save=False)
    image.save()
    return image


def open_rendition(image, key) -> PILImage.Image:
    with image.file.storage.open(image.renditions[key], "rb") as f:
        picture = PILImage.open(io.BytesIO(f.read()))
        picture.load()
    return picture


def test_upload_makes_every_width_in_webp_and_jpeg_and_records_them():
    image = make_image(data=image_bytes(size=(1700, 1000)))
    image.refresh_from_db()  # recorded on the row, not only on the instance
    whole = sorted(k for k in image.renditions if "/" not in k)
    assert whole == sorted(f"{w}.{fmt}" for w in (320, 640, 960, 1280, 1600) for fmt in ("webp", "jpg"))
    for key in whole:
        width, fmt = key.split(".")
        picture = open_rendition(image, key)
        assert picture.format == {"webp": "WEBP", "jpg": "JPEG"}[fmt]
        assert picture.size == (int(width), round(1000 * int(width) / 1700))
        assert image.file.storage.exists(image.renditions[key])


def test_small_pictures_are_never_upscaled_and_keep_their_own_width():
    image = make_image(data=image_bytes(size=(700, 350)))
    widths = sorted({int(k.split(".")[0]) for k in image.renditions if "/" not in k})
    assert widths == [320, 640, 700]
    assert max(int(k.rsplit("/", 1)[-1].split(".")[0]) for k in image.renditions) <= 700


def test_card_and_social_crops_have_their_ratio():
    image = make_image(data=image_bytes(size=(1600, 1600)))
    card = open_rendition(image, f"{CARD_RATIO}/1280.jpg")
    assert card.size == (1280, 853)
    social = renditions_of(image, ratio=SOCIAL_RATIO)
    assert [(r.width, r.height, r.format) for r in social] == [(1200, 628, "jpg")]
    assert open_rendition(image, f"{SOCIAL_RATIO}/1200.jpg").size == (1200, 628)
    assert f"{CARD_RATIO}/1600.webp" in image.renditions


def test_transparent_png_gets_png_fallback_and_opaque_png_gets_jpeg():
    clear = PILImage.new("RGBA", (400, 300), (0, 128, 0, 0))
    out = io.BytesIO()
    clear.save(out, format="PNG")
    transparent = make_image(data=out.getvalue())
    assert {k.split(".")[-1] for k in transparent.renditions} == {"webp", "png"}
    assert open_rendition(transparent, "320.png").mode == "RGBA"
    assert open_rendition(transparent, "320.webp").mode == "RGBA"

    opaque = make_image(data=image_bytes(fmt="PNG", size=(400, 300), color="navy"))
    assert {k.split(".")[-1] for k in opaque.renditions} == {"webp", "jpg"}


def test_exif_orientation_is_applied_and_metadata_stripped():
    # A 60 × 40 picture whose EXIF says "rotate 90° clockwise to view", with a GPS block and a comment.
    exif = PILImage.Exif()
    exif[0x0112] = 6
    exif[0x013B] = "Ann Lee"
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}
    raw = io.BytesIO()
    PILImage.new("RGB", (60, 40), "orange").save(raw, format="JPEG", exif=exif, comment=b"<script>x</script>")
    image = stored_as_is(raw.getvalue())
    generate_renditions(image)

    picture = open_rendition(image, "40.jpg")
    assert picture.size == (40, 60)  # upright
    assert not picture.getexif()
    assert "comment" not in picture.info and "icc_profile" not in picture.info
    assert not open_rendition(image, "40.webp").getexif()


def test_colour_profile_is_converted_to_srgb_and_not_embedded():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    image = make_image(data=image_bytes(size=(320, 200), color=(200, 40, 40), icc_profile=srgb))
    picture = open_rendition(image, "320.jpg")
    assert "icc_profile" not in picture.info
    red, green, blue = picture.getpixel((160, 100))
    assert abs(red - 200) < 8 and green < 60 and blue < 60


def test_unreadable_colour_profile_is_ignored():
    raw = io.BytesIO()
    PILImage.new("RGB", (50, 50), "teal").save(raw, format="JPEG", icc_profile=b"not a profile")
    image = stored_as_is(raw.getvalue())
    generate_renditions(image)
    assert set(image.renditions) >= {"50.jpg", "50.webp"}


def test_decompression_bomb_in_storage_is_refused_with_a_clear_message(settings):
    image = stored_as_is(image_bytes(size=(64, 48)))
    settings.NEWSROOM_IMAGE_MAX_PIXELS = 1000
    with pytest.raises(ValidationError) as refused:
        generate_renditions(image)
    assert refused.value.messages == ["The picture has more than 1,000 pixels."]
    image.refresh_from_db()
    assert image.renditions == {}


def test_a_stored_file_that_is_not_a_picture_is_refused():
    image = stored_as_is(b"<svg xmlns='http://www.w3.org/2000/svg'/>", name="x.jpg")
    with pytest.raises(ValidationError) as refused:
        generate_renditions(image)
    assert refused.value.messages == ["The file is not a picture Newsroom can read."]


def test_crop_box_centres_on_the_focal_point_and_stays_inside():
    assert crop_box((1600, 900), CARD_RATIO) == (125, 0, 1475, 900)
    assert crop_box((1600, 900), CARD_RATIO, focal=(0.9, 0.5)) == (250, 0, 1600, 900)  # pushed back inside
    assert crop_box((1600, 900), CARD_RATIO, focal=(0.1, 0.5)) == (0, 0, 1350, 900)
    assert crop_box((900, 1600), CARD_RATIO, focal=(0.5, 0.1)) == (0, 0, 900, 600)
    assert crop_box((900, 1600), CARD_RATIO, focal=(0.5, 0.2)) == (0, 20, 900, 620)
    assert crop_box((900, 1600), CARD_RATIO, focal=(0.5, 0.5)) == (0, 500, 900, 1100)
    # An explicit crop wins; a nonsensical one is ignored.
    assert crop_box((1000, 1000), CARD_RATIO, explicit=[0.1, 0.2, 0.6, 0.4]) == (100, 200, 700, 600)
    assert crop_box((1000, 1000), CARD_RATIO, explicit=[0.8, 0, 0.6, 0.4]) == (0, 166, 1000, 833)
    assert crop_box((1000, 1000), CARD_RATIO, explicit="everything") == (0, 166, 1000, 833)


def test_focal_point_moves_the_card_crop_and_replaces_its_files(django_capture_on_commit_callbacks):
    # Left half black, right half white: where the crop sits shows in its pixels.
    picture = PILImage.new("RGB", (1600, 600), "black")
    picture.paste((255, 255, 255), (800, 0, 1600, 600))
    out = io.BytesIO()
    picture.save(out, format="PNG")
    image = make_image(data=out.getvalue())
    before = dict(image.renditions)

    image.focal_x = 1.0
    image.save()
    with django_capture_on_commit_callbacks(execute=True):
        generate_renditions(image)
    image.refresh_from_db()
    card = open_rendition(image, f"{CARD_RATIO}/900.jpg")
    assert card.getpixel((20, 300))[0] < 40  # the crop's left edge is still in the black half
    assert card.getpixel((880, 300))[0] > 215
    assert sum(card.getpixel((x, 300))[0] > 128 for x in range(900)) > 0.85 * 900  # mostly white: moved right
    # New crop, new names (no cache keeps the old crop); the old files are gone; whole sizes keep theirs.
    assert image.renditions[f"{CARD_RATIO}/900.jpg"] != before[f"{CARD_RATIO}/900.jpg"]
    assert not image.file.storage.exists(before[f"{CARD_RATIO}/900.jpg"])
    assert image.renditions["640.jpg"] == before["640.jpg"]
    assert image.file.storage.exists(image.renditions["640.jpg"])


def test_a_crop_change_rolled_back_keeps_the_files_its_row_still_names():
    image = make_image(data=image_bytes(size=(1600, 600)))
    before = dict(image.renditions)

    def move_the_crop_then_fail():
        with transaction.atomic():
            image.focal_x = 1.0
            image.save()
            generate_renditions(image)
            assert image.renditions[f"{CARD_RATIO}/900.jpg"] != before[f"{CARD_RATIO}/900.jpg"]
            raise RuntimeError("the editor's save failed further on")

    with pytest.raises(RuntimeError, match="failed further on"):
        move_the_crop_then_fail()
    image.refresh_from_db()
    assert image.renditions == before
    assert all(image.file.storage.exists(name) for name in before.values())


def test_explicit_crop_is_used_for_its_ratio():
    picture = PILImage.new("RGB", (1200, 1200), "black")
    picture.paste((255, 255, 255), (0, 0, 600, 400))
    out = io.BytesIO()
    picture.save(out, format="PNG")
    image = make_image(data=out.getvalue())
    image.crops = {CARD_RATIO: [0, 0, 0.5, 1 / 3]}
    image.save()
    generate_renditions(image)
    card = open_rendition(image, f"{CARD_RATIO}/600.jpg")
    assert card.size == (600, 400)
    assert min(card.getpixel((x, y))[0] for x in (10, 300, 590) for y in (10, 200, 390)) > 215


def test_remote_only_pictures_have_no_renditions_and_render_from_their_address():
    image = Image.objects.create(source_url="https://images.example.org/a.jpg", alt_text="A", width=800, height=600)
    assert generate_renditions(image) == {}
    assert str(picture_html(image, alt="A", sizes="100vw")) == (
        '<img src="https://images.example.org/a.jpg" alt="A" width="800" height="600" loading="lazy" decoding="async">'
    )
    unknown = Image.objects.create(source_url="https://images.example.org/b.jpg")
    assert str(picture_html(unknown, alt="", sizes="100vw", priority=True)) == (
        '<img src="https://images.example.org/b.jpg" alt="" fetchpriority="high" decoding="async">'
    )
    assert social_image(unknown) is None


def test_rendition_names_are_deterministic_per_stored_file():
    image = make_image(data=image_bytes(size=(700, 400)))
    first = dict(image.renditions)
    generate_renditions(image)
    assert image.renditions == first
    stem = image.file.name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    assert all(f"/{stem}/" in name for name in first.values())


def test_make_renditions_command_fills_in_old_pictures_and_reports_failures(settings):
    old = stored_as_is(image_bytes(size=(400, 300)))
    done = make_image(data=image_bytes(size=(500, 300), color="red"))
    Image.objects.create(source_url="https://images.example.org/remote.jpg")
    assert old.renditions == {}
    made_before = dict(done.renditions)

    out = io.StringIO()
    call_command("make_renditions", "--dry-run", stdout=out)
    assert "would make for 1 picture(s)" in out.getvalue()
    old.refresh_from_db()
    assert old.renditions == {}

    out = io.StringIO()
    call_command("make_renditions", stdout=out)
    assert "made for 1 picture(s); 0 failed" in out.getvalue()
    old.refresh_from_db()
    assert {"320.webp", "320.jpg", "400.webp", "400.jpg"} <= set(old.renditions)
    done.refresh_from_db()
    assert done.renditions == made_before

    broken = stored_as_is(b"not a picture", name="broken.jpg")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 picture"):
        call_command("make_renditions", stdout=out, stderr=err)
    assert f"Image {broken.pk}" in err.getvalue() and "not a picture Newsroom can read" in err.getvalue()
