"""Hostile and awkward picture uploads, at each way in.

Every picture is made in memory with Pillow and sent (a) to process_upload()
directly, (b) to the editor's upload endpoint (CKEditor 4's, CSRF enforced) as
a logged-in editor, and (c) through the Image admin's add form. Whatever comes
in: never a 500, and a refusal leaves no Image row and no file in MEDIA_ROOT.
Requests are built as raw multipart bodies so the file name reaches Django
exactly as a hostile client would send it.
"""

from __future__ import annotations

import functools
import io
import json
import random
import re
import struct
import zlib
from pathlib import Path

import lxml.html
import PIL.Image
import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from PIL import Image as PILImage
from PIL import ImageCms, PngImagePlugin

from articles.images.ingest import process_upload
from articles.models import Image
from tests.factories import image_bytes, make_user

pytestmark = pytest.mark.django_db

STORED_NAME = re.compile(r"^images/\d{4}/\d{2}/[0-9a-f]{32}\.(jpg|png|gif|webp)$")
SCRIPT = b"<script>alert(1)</script>"
EXIF_ORIENTATION, EXIF_GPS_IFD, EXIF_ARTIST, EXIF_COPYRIGHT = 0x0112, 0x8825, 0x013B, 0x8298


# --- pictures, made in memory ---------------------------------------------------------------------------------------


def png_polyglot() -> bytes:
    """A valid PNG with an HTML page after its end: a browser sniffing it as HTML would run the script."""
    return image_bytes("PNG", color="crimson") + b"<html><body>" + SCRIPT + b"</body></html>"


def png_with_script_text_chunk() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SCRIPT.decode())
    return image_bytes("PNG", color="teal", pnginfo=info)


def jpeg_with_script_comment() -> bytes:
    return image_bytes("JPEG", color="navy", comment=SCRIPT)


def gif_with_script_comment() -> bytes:
    return image_bytes("GIF", color="orange", comment=SCRIPT)


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="alert(1)">'
    + SCRIPT
    + b"</svg>"
)


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


@functools.cache
def png_bomb(width: int = 20_000, height: int = 20_000) -> bytes:
    """A 1-bit PNG of width x height, all zeros: about 60 KB on disk, 400 megapixels decoded."""
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte, then the packed pixels
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row * 500) for _ in range(height // 500)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1 bit, greyscale
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", idat) + _png_chunk(b"IEND", b"")


@functools.cache
def noise_png(side: int = 700) -> bytes:
    """A real picture that cannot be compressed much: 700 x 700 random pixels are about 1.4 MB as PNG."""
    pixels = random.Random(1).randbytes(side * side * 3)
    out = io.BytesIO()
    PILImage.frombytes("RGB", (side, side), pixels).save(out, format="PNG")
    return out.getvalue()


def truncated_jpeg() -> bytes:
    data = image_bytes("JPEG", size=(400, 300), color="purple")
    return data[: len(data) // 2]


def exif_jpeg() -> bytes:
    """60 x 40, a red corner top left, taken with the camera on its side (orientation 6), with GPS and credits."""
    picture = PILImage.new("RGB", (60, 40), "white")
    picture.paste((255, 0, 0), (0, 0, 12, 12))
    exif = PILImage.Exif()
    exif[EXIF_ORIENTATION] = 6
    exif[EXIF_ARTIST] = "Ann Lee"
    exif[EXIF_COPYRIGHT] = "(c) Harbour Agency"
    gps = exif.get_ifd(EXIF_GPS_IFD)
    gps.update({1: "N", 2: (52.0, 22.0, 5.5), 3: "E", 4: (4.0, 53.0, 1.0)})
    out = io.BytesIO()
    picture.save(out, format="JPEG", exif=exif.tobytes(), quality=95)
    data = out.getvalue()
    assert b"Ann Lee" in data and PILImage.open(io.BytesIO(data)).getexif().get_ifd(EXIF_GPS_IFD)  # the input has them
    return data


# --- cases ------------------------------------------------------------------------------------------------------------

# id, bytes, client's file name, content type, message from process_upload and the endpoint,
# message from the admin form (Django's own ImageField checks some first), setting overrides.
REFUSED = [
    pytest.param(
        lambda: SVG,
        "drawing.svg",
        "image/svg+xml",
        "The file is not a picture Newsroom can read.",
        "Upload a valid image.",
        {},
        id="svg",
    ),
    pytest.param(
        png_bomb,
        "bomb.png",
        "image/png",
        "The picture has more than 40,000,000 pixels.",
        "Upload a valid image.",
        {},
        id="decompression-bomb-20000x20000",
    ),
    pytest.param(
        lambda: image_bytes("PNG", size=(150, 100)),
        "just-over.png",
        "image/png",
        "The picture has more than 10,000 pixels.",
        "The picture has more than 10,000 pixels.",
        {"NEWSROOM_IMAGE_MAX_PIXELS": 10_000},
        id="pixels-between-limit-and-twice-limit",
    ),
    pytest.param(
        lambda: image_bytes("JPEG", size=(300, 300)),
        "far-over.jpg",
        "image/jpeg",
        "The picture has more than 10,000 pixels.",
        "Upload a valid image.",
        {"NEWSROOM_IMAGE_MAX_PIXELS": 10_000},
        id="pixels-over-twice-limit",
    ),
    pytest.param(
        lambda: b"",
        "empty.jpg",
        "image/jpeg",
        "The file is empty.",
        "The submitted file is empty.",
        {},
        id="zero-bytes",
    ),
    pytest.param(
        noise_png,
        "big.png",
        "image/png",
        "The file is larger than 1 MB.",
        "The file is larger than 1 MB.",
        {"NEWSROOM_IMAGE_MAX_BYTES": 1024 * 1024},
        id="oversized",
    ),
    pytest.param(
        lambda: b"<html><body>" + SCRIPT + b"</body></html>",
        "page.jpg",
        "image/jpeg",
        "The file is not a picture Newsroom can read.",
        "Upload a valid image.",
        {},
        id="html-named-jpg",
    ),
    pytest.param(
        truncated_jpeg,
        "cut.jpg",
        "image/jpeg",
        "The file is not a picture Newsroom can read.",
        "The file is not a picture Newsroom can read.",
        {},
        id="truncated-jpeg",
    ),
    pytest.param(
        lambda: image_bytes("BMP"),
        "old.bmp",
        "image/bmp",
        "Only JPEG, PNG, GIF and WebP pictures can be uploaded.",
        "Only JPEG, PNG, GIF and WebP pictures can be uploaded.",
        {},
        id="bmp",
    ),
]

# id, bytes, client's file name, content type, stored format; admin_refuses: Django's ImageField refuses the name.
ACCEPTED = [
    pytest.param(lambda: image_bytes("JPEG"), "holiday-snap.jpg", "image/jpeg", "JPEG", False, id="jpeg"),
    pytest.param(png_polyglot, "evil.html", "text/html", "PNG", True, id="png-polyglot-named-html"),
    pytest.param(png_with_script_text_chunk, "notes.png", "image/png", "PNG", False, id="png-script-in-text-chunk"),
    pytest.param(jpeg_with_script_comment, "comment.jpg", "image/jpeg", "JPEG", False, id="jpeg-script-in-comment"),
    pytest.param(gif_with_script_comment, "comment.gif", "image/gif", "GIF", False, id="gif-script-in-comment"),
    pytest.param(lambda: image_bytes("WEBP"), "from-the-web-desk.webp", "image/webp", "WEBP", False, id="webp"),
    pytest.param(
        lambda: image_bytes("JPEG", color="olive"),
        "../../etc/passwd.jpg",
        "image/jpeg",
        "JPEG",
        False,
        id="path-traversal",
    ),
]


@pytest.fixture
def limits(settings, monkeypatch):
    """Apply a case's setting overrides; a pixel limit goes to Pillow too, as articles/apps.py does at startup."""

    def apply(overrides: dict) -> None:
        for name, value in overrides.items():
            setattr(settings, name, value)
        if "NEWSROOM_IMAGE_MAX_PIXELS" in overrides:
            monkeypatch.setattr(PIL.Image, "MAX_IMAGE_PIXELS", overrides["NEWSROOM_IMAGE_MAX_PIXELS"])

    return apply


# --- helpers --------------------------------------------------------------------------------------------------------


def media_files() -> list[Path]:
    root = Path(django_settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def assert_nothing_stored() -> None:
    assert not Image.objects.exists()
    assert media_files() == []


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    """A multipart/form-data body with file names exactly as given (Django's test client would basename them)."""
    boundary = "----NewsroomTestBoundary7MA4YWxkTrZu0gW"
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, data, content_type) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        )
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def csrf_token(client: Client, page: str) -> str:
    client.get(page)
    return client.cookies["csrftoken"].value


def post_upload(client: Client, filename: str, data: bytes, content_type: str, *, token: str | None, alt="A picture"):
    """The editor's upload endpoint, with the alt text a client that can ask for it sends (CKEditor 4 cannot)."""
    fields = {} if alt is None else {"alt_text": alt}
    body, multipart_type = multipart(fields, {"upload": (filename, data, content_type)})
    headers = {"HTTP_X_CSRFTOKEN": token} if token else {}
    return client.post(reverse("admin:articles_image_upload"), body, content_type=multipart_type, **headers)


def post_image_form(client: Client, filename: str, data: bytes, content_type: str, **fields):
    """The Image admin's add form as a browser submits it: the page's own fields, ours, the file, the CSRF token."""
    url = reverse("admin:articles_image_add")
    page = lxml.html.fromstring(client.get(url).content)
    (form,) = page.xpath('//form[@id="image_form"]')
    values = {
        **dict(form.form_values()),
        "alt_text": "A picture",
        "credit": "",
        "copyright": "",
        "source_url": "",
        **fields,
    }
    body, multipart_type = multipart(values, {"file": (filename, data, content_type)})
    return client.post(url, body, content_type=multipart_type, HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)


def stored_bytes(image: Image) -> bytes:
    path = Path(django_settings.MEDIA_ROOT) / image.file.name
    return path.read_bytes()


def assert_stored_safely(image: Image, expected_format: str, client_name: str) -> bytes:
    """The row's file: a generated name under MEDIA_ROOT/images/, re-encoded, no script, nothing of the client's name."""
    assert STORED_NAME.match(image.file.name), image.file.name
    stem = Path(client_name).stem
    assert stem not in image.file.name
    media = Path(django_settings.MEDIA_ROOT).resolve()
    path = (media / image.file.name).resolve()
    assert path.is_relative_to(media / "images")
    data = path.read_bytes()
    assert b"<script" not in data
    with PILImage.open(io.BytesIO(data)) as picture:
        assert picture.format == expected_format
        assert (image.width, image.height) == picture.size
    for other in media_files():  # renditions too
        assert stem not in other.name
        assert b"<script" not in other.read_bytes()
    assert not list(media.parent.rglob(f"{stem}*")), "a file was written under the client's name"
    return data


def form_errors(response) -> list[str]:
    form = response.context["adminform"].form
    return [message for messages in form.errors.values() for message in messages]


@pytest.fixture
def editor_client(editor) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    return client


@pytest.fixture
def editor_token(editor_client) -> str:
    return csrf_token(editor_client, reverse("admin:articles_image_add"))


# --- (a) process_upload ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("make", "filename", "content_type", "message", "admin_message", "overrides"), REFUSED)
def test_process_upload_refuses(limits, make, filename, content_type, message, admin_message, overrides):
    limits(overrides)
    with pytest.raises(ValidationError) as refused:
        process_upload(make())
    assert refused.value.messages == [message]
    assert refused.value.code == "invalid_image"


@pytest.mark.parametrize(("make", "filename", "content_type", "fmt", "admin_refuses"), ACCEPTED)
def test_process_upload_reencodes(make, filename, content_type, fmt, admin_refuses):
    processed = process_upload(make())
    data = processed.content.read()
    assert b"<script" not in data
    assert re.fullmatch(r"[0-9a-f]{16}\.(jpg|png|gif|webp)", processed.content.name)
    assert processed.content.name.endswith("." + {"JPEG": "jpg"}.get(fmt, fmt.lower()))
    with PILImage.open(io.BytesIO(data)) as picture:
        assert picture.format == fmt
        assert picture.size == (processed.width, processed.height) == (64, 48)


def test_process_upload_turns_the_picture_upright_and_drops_exif_keeping_credits():
    processed = process_upload(exif_jpeg())
    data = processed.content.read()
    assert (processed.width, processed.height) == (40, 60)
    assert (processed.credit, processed.copyright) == ("Ann Lee", "(c) Harbour Agency")
    assert b"Exif" not in data and b"Ann Lee" not in data
    with PILImage.open(io.BytesIO(data)) as picture:
        assert len(picture.getexif()) == 0
        red, green, _blue = picture.getpixel((34, 5))  # the red corner is now top right
        assert red > 200 and green < 60
        assert picture.getpixel((5, 5))[1] > 200  # and top left is white


def test_the_bomb_is_a_small_file_pillow_refuses_to_open():
    data = png_bomb()
    assert len(data) < 100_000
    assert PIL.Image.MAX_IMAGE_PIXELS == django_settings.NEWSROOM_IMAGE_MAX_PIXELS  # set by articles/apps.py
    with pytest.raises(PILImage.DecompressionBombError):
        PILImage.open(io.BytesIO(data))


# --- (b) the editor's upload endpoint ------------------------------------------------------------------------------


@pytest.mark.parametrize(("make", "filename", "content_type", "message", "admin_message", "overrides"), REFUSED)
def test_endpoint_refuses_with_a_message(
    limits, editor_client, editor_token, make, filename, content_type, message, admin_message, overrides
):
    limits(overrides)
    response = post_upload(editor_client, filename, make(), content_type, token=editor_token)
    assert response.status_code == 200  # CKEditor shows error.message only on a 200
    assert json.loads(response.content) == {"uploaded": 0, "error": {"message": message}}
    assert_nothing_stored()


@pytest.mark.parametrize(("make", "filename", "content_type", "fmt", "admin_refuses"), ACCEPTED)
def test_endpoint_stores_a_reencoded_picture_under_a_generated_name(
    editor, editor_client, editor_token, make, filename, content_type, fmt, admin_refuses
):
    response = post_upload(editor_client, filename, make(), content_type, token=editor_token)
    assert response.status_code == 200
    answer = json.loads(response.content)
    image = Image.objects.get()
    assert answer == {"uploaded": 1, "fileName": image.name, "url": django_settings.MEDIA_URL + image.file.name}
    assert image.uploaded_by == editor
    assert_stored_safely(image, fmt, filename)


def test_endpoint_turns_the_picture_upright_and_strips_exif(editor_client, editor_token):
    response = post_upload(editor_client, "camera.jpg", exif_jpeg(), "image/jpeg", token=editor_token)
    assert json.loads(response.content)["uploaded"] == 1
    image = Image.objects.get()
    assert (image.width, image.height) == (40, 60)
    assert (image.credit, image.copyright) == ("Ann Lee", "(c) Harbour Agency")
    data = assert_stored_safely(image, "JPEG", "camera.jpg")
    with PILImage.open(io.BytesIO(data)) as picture:
        assert picture.size == (40, 60)
        assert len(picture.getexif()) == 0
        assert picture.getpixel((34, 5))[0] > 200 and picture.getpixel((34, 5))[1] < 60
    for path in media_files():  # the stored file and every rendition
        content = path.read_bytes()
        assert b"Exif\x00\x00" not in content and b"Ann Lee" not in content and b"Harbour Agency" not in content


def test_endpoint_without_csrf_token_is_refused(editor_client):
    response = post_upload(editor_client, "a.jpg", image_bytes(), "image/jpeg", token=None)
    assert response.status_code == 403
    assert_nothing_stored()


def test_endpoint_with_a_wrong_csrf_token_is_refused(editor_client, editor_token):
    response = post_upload(editor_client, "a.jpg", image_bytes(), "image/jpeg", token="x" * 64)
    assert response.status_code == 403
    assert_nothing_stored()


def test_endpoint_answers_get_with_405(editor_client):
    assert editor_client.get(reverse("admin:articles_image_upload")).status_code == 405
    assert_nothing_stored()


def test_endpoint_without_a_file_says_so(editor_client, editor_token):
    body, multipart_type = multipart({"other": "x"}, {})
    response = editor_client.post(
        reverse("admin:articles_image_upload"), body, content_type=multipart_type, HTTP_X_CSRFTOKEN=editor_token
    )
    assert json.loads(response.content) == {"uploaded": 0, "error": {"message": "No file was sent."}}
    assert_nothing_stored()


def test_staff_without_add_image_permission_gets_403(django_user_model):
    nobody = make_user(django_user_model, "staff-no-groups")
    client = Client(enforce_csrf_checks=True)
    client.force_login(nobody)
    token = csrf_token(client, reverse("admin:index"))
    response = post_upload(client, "a.jpg", image_bytes(), "image/jpeg", token=token)
    assert response.status_code == 403
    assert client.get(reverse("admin:articles_image_add")).status_code == 403
    body, multipart_type = multipart({"alt_text": "x"}, {"file": ("a.jpg", image_bytes(), "image/jpeg")})
    response = client.post(
        reverse("admin:articles_image_add"), body, content_type=multipart_type, HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 403
    assert_nothing_stored()


def test_anonymous_upload_is_sent_to_login():
    client = Client(enforce_csrf_checks=True)
    token = csrf_token(client, reverse("admin:login"))
    response = post_upload(client, "a.jpg", image_bytes(), "image/jpeg", token=token)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login") + "?next=")
    body, multipart_type = multipart({"alt_text": "x"}, {"file": ("a.jpg", image_bytes(), "image/jpeg")})
    response = client.post(
        reverse("admin:articles_image_add"), body, content_type=multipart_type, HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert_nothing_stored()


# --- (c) the Image admin's add form ---------------------------------------------------------------------------------


# Django's own ImageField check opens the picture first, and Pillow warns (only) between the limit and twice it.
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize(("make", "filename", "content_type", "message", "admin_message", "overrides"), REFUSED)
def test_admin_form_refuses_with_a_form_error(
    limits, editor_client, make, filename, content_type, message, admin_message, overrides
):
    limits(overrides)
    response = post_image_form(editor_client, filename, make(), content_type, alt_text="A picture")
    assert response.status_code == 200
    errors = form_errors(response)
    assert any(error.startswith(admin_message) for error in errors), errors
    assert_nothing_stored()


@pytest.mark.parametrize(("make", "filename", "content_type", "fmt", "admin_refuses"), ACCEPTED)
def test_admin_form_stores_a_reencoded_picture_or_refuses_the_name(
    editor, editor_client, make, filename, content_type, fmt, admin_refuses
):
    response = post_image_form(editor_client, filename, make(), content_type, alt_text="Boats", credit="Desk")
    if admin_refuses:
        assert response.status_code == 200
        assert any("extension" in error for error in form_errors(response))
        assert_nothing_stored()
        return
    assert response.status_code == 302, form_errors(response)
    image = Image.objects.get()
    assert (image.alt_text, image.credit, image.uploaded_by) == ("Boats", "Desk", editor)
    assert_stored_safely(image, fmt, filename)


def test_admin_form_takes_credits_from_exif_unless_typed(editor_client):
    response = post_image_form(editor_client, "camera.jpg", exif_jpeg(), "image/jpeg", credit="Staff photographer")
    assert response.status_code == 302, form_errors(response)
    image = Image.objects.get()
    assert (image.width, image.height) == (40, 60)
    assert (image.credit, image.copyright) == ("Staff photographer", "(c) Harbour Agency")
    data = assert_stored_safely(image, "JPEG", "camera.jpg")
    assert b"Exif\x00\x00" not in data and b"Ann Lee" not in data
    with PILImage.open(io.BytesIO(data)) as picture:
        assert len(picture.getexif()) == 0


# --- broken metadata and colour profiles, at each way in ------------------------------------------------------------

# An Exif block whose TIFF header is not one: Pillow raises SyntaxError reading it.
BROKEN_EXIF = b"Exif\x00\x00XX\x00\x2a\x00\x00\x00\x08" + b"\x00" * 16


def jpeg_with_broken_exif() -> bytes:
    """A real JPEG with a corrupt APP1 Exif segment spliced in after its start marker."""
    data = image_bytes("JPEG", color="olive")
    segment = b"\xff\xe1" + struct.pack(">H", len(BROKEN_EXIF) + 2) + BROKEN_EXIF
    return data[:2] + segment + data[2:]


BROKEN_METADATA = [
    pytest.param(jpeg_with_broken_exif, "broken.jpg", "image/jpeg", "JPEG", id="jpeg-app1"),
    # PNG's eXIf and WebP's EXIF chunks are read only when asked for: these were the 500s.
    pytest.param(lambda: image_bytes("PNG", color="olive", exif=BROKEN_EXIF[6:]), "broken.png", "image/png", "PNG"),
    pytest.param(lambda: image_bytes("WEBP", color="olive", exif=BROKEN_EXIF[6:]), "broken.webp", "image/webp", "WEBP"),
]


def upload_many(client: Client, filename: str, data: bytes, content_type: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    files = [SimpleUploadedFile(filename, data, content_type=content_type)]
    return client.post(reverse("admin:articles_image_upload_many"), {"files": files}, follow=True)


@pytest.mark.parametrize(("make", "filename", "content_type", "fmt"), BROKEN_METADATA)
def test_broken_metadata_means_none_on_every_way_in(editor, make, filename, content_type, fmt):
    data = make()
    processed = process_upload(data)
    assert (processed.credit, processed.copyright) == ("", "")

    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    token = csrf_token(client, reverse("admin:articles_image_add"))
    answer = post_upload(client, filename, data, content_type, token=token)
    assert answer.status_code == 200 and json.loads(answer.content)["uploaded"] == 1
    image = Image.objects.get()
    assert image.credit == "" and assert_stored_safely(image, fmt, filename)
    image.delete()

    response = post_image_form(client, filename, data, content_type, alt_text="Olive")
    assert response.status_code == 302, form_errors(response)
    assert Image.objects.get().credit == ""
    Image.objects.all().delete()

    plain = Client()
    plain.force_login(editor)
    staged = upload_many(plain, filename, data, content_type)
    assert staged.status_code == 200
    assert [(form.initial["credit"], form.initial["copyright"]) for form in staged.context["formset"].forms] == [
        ("", "")
    ]


def swapped_primaries_profile() -> bytes:
    """A real RGB profile that is not sRGB: Pillow's sRGB with its red and blue primaries swapped."""
    profile = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    (count,) = struct.unpack(">I", profile[128:132])
    entries = {bytes(profile[132 + 12 * n : 136 + 12 * n]): 132 + 12 * n for n in range(count)}
    red, blue = entries[b"rXYZ"], entries[b"bXYZ"]
    profile[red + 4 : red + 12], profile[blue + 4 : blue + 12] = (
        profile[blue + 4 : blue + 12],
        profile[red + 4 : red + 12],
    )
    return bytes(profile)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_a_junk_colour_profile_is_not_stored(fmt):
    junk = b"NEWSROOM-HOSTED-BYTES" * 20_000  # 420 KB that is no profile at all
    data = image_bytes(fmt, color="olive", icc_profile=junk)
    with PILImage.open(io.BytesIO(data)) as picture:
        assert picture.info["icc_profile"] == junk  # Pillow embeds whatever it is given
    stored = process_upload(data).content.file.getvalue()
    assert b"NEWSROOM-HOSTED-BYTES" not in stored
    assert len(stored) < 10_000
    with PILImage.open(io.BytesIO(stored)) as picture:
        assert "icc_profile" not in picture.info


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_a_real_colour_profile_is_converted_to_srgb_and_dropped(editor_client, editor_token, fmt):
    profile = swapped_primaries_profile()
    data = image_bytes(fmt, color=(220, 0, 0), icc_profile=profile)
    response = post_upload(editor_client, f"red.{fmt.lower()}", data, "image/png", token=editor_token)
    assert json.loads(response.content)["uploaded"] == 1
    stored = stored_bytes(Image.objects.get())
    assert profile not in stored
    with PILImage.open(io.BytesIO(stored)) as picture:
        assert "icc_profile" not in picture.info
        red, green, blue = picture.convert("RGB").getpixel((10, 10))
    assert blue > 150 and red < 80  # red under this profile is sRGB's blue
