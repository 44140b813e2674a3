"""Security headers on readers' pages and the admin, production cookie settings, and safe media serving."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import make_article, make_image, make_keyword

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]  # the project


def policy(response, header="Content-Security-Policy") -> dict[str, list[str]]:
    directives = {}
    for part in response[header].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.fixture
def article():
    return make_article(
        title="Harbour reopens",
        lead_image=make_image(alt_text="Boats"),
        keywords=[make_keyword("Harbour")],
        body='<p>Boats.</p><p><iframe src="https://www.youtube-nocookie.com/embed/x"></iframe></p>',
    )


def test_public_pages_have_the_strict_policy(client, article):
    for url in ["/", article.get_absolute_url(), article.keywords.get().get_absolute_url()]:
        response = client.get(url)
        assert response.status_code == 200
        csp = policy(response)
        assert csp["default-src"] == ["'self'"]
        assert csp["script-src"] == ["'self'"]
        assert csp["style-src"] == ["'self'"]
        assert csp["object-src"] == ["'none'"]
        assert csp["base-uri"] == ["'none'"]
        assert csp["frame-ancestors"] == ["'none'"]
        assert csp["form-action"] == ["'self'"]
        assert csp["img-src"] == ["'self'", "https:"]
        assert csp["frame-src"] == [
            "https://www.youtube.com",
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
        ]
        header = response["Content-Security-Policy"]
        assert "unsafe-inline" not in header
        assert "unsafe-eval" not in header
        assert "data:" not in header


def test_public_pages_carry_no_inline_script_or_style(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    # Structured data (JSON-LD) is a data block, not a script a browser runs; the one script is a
    # file of our own (the share links' copy button), which the policy's script-src 'self' allows.
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert all('type="application/ld+json"' in tag or re.search(r'src="/static/[^"]+\.js"', tag) for tag in scripts)
    assert "<style" not in html
    assert " style=" not in html


def test_admin_has_the_relaxed_policy_ckeditor_needs(client, editor):
    client.force_login(editor)
    response = client.get(reverse("admin:articles_article_add"))
    assert response.status_code == 200
    csp = policy(response)
    assert csp["script-src"] == ["'self'", "'unsafe-inline'"]
    assert csp["style-src"] == ["'self'", "'unsafe-inline'"]
    assert csp["img-src"] == ["'self'", "data:", "blob:", "https:"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


def test_admin_login_page_is_relaxed_too_but_nothing_else_is(client):
    assert "'unsafe-inline'" in client.get(reverse("admin:login"))["Content-Security-Policy"]
    # A path that merely starts like the admin's is not the admin.
    assert "'unsafe-inline'" not in client.get("/administrator/")["Content-Security-Policy"]


def test_common_security_headers(client, article):
    response = client.get(article.get_absolute_url())
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_hsts_and_secure_cookies_behind_tls(settings, client, editor):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True

    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000; includeSubDomains")

    login = client.post(
        reverse("admin:login"), {"username": editor.username, "password": "pw-editor", "next": "/admin/"}, secure=True
    )
    assert login.status_code == 302
    session = login.cookies["sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"


def test_production_settings_turn_on_tls_protections():
    """What a fresh process reads from a production environment (DEBUG off, SECURE_SSL default)."""
    script = (
        "import json, django; django.setup(); from django.conf import settings as s\n"
        "print(json.dumps({k: getattr(s, k, None) for k in ["
        "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_SAMESITE', 'CSRF_COOKIE_SAMESITE',"
        "'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_PROXY_SSL_HEADER', 'SECURE_CONTENT_TYPE_NOSNIFF',"
        "'X_FRAME_OPTIONS', 'SECURE_REFERRER_POLICY', 'CONTENT_SECURITY_POLICY']}))"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECURE_SSL", "REDIS_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="newsroom.settings", SECRET_KEY="k" * 50, ALLOWED_HOSTS="news.example.org")
    result = subprocess.run(  # noqa: S603 (our own interpreter and a fixed script)
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True
    )
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_SAMESITE"] == values["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] == 31536000
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["SECURE_REFERRER_POLICY"] == "strict-origin-when-cross-origin"
    assert values["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["upgrade-insecure-requests"] is True


# --- Media served safely (local-disk setup) ----------------------------------------------------


def test_uploaded_picture_is_served_with_safe_headers(client):
    image = make_image(alt_text="Boats")
    assert image.url.startswith("/media/images/")

    response = client.get(image.url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "Last-Modified" in response
    assert b"".join(response.streaming_content) == image.file.open("rb").read()

    again = client.get(image.url, headers={"If-Modified-Since": response["Last-Modified"]})
    assert again.status_code == 304
    assert client.head(image.url).status_code == 200
    assert client.post(image.url).status_code == 405


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("evil.html", b"<script>alert(1)</script>"),
        ("evil.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("evil.htm", b"<script>alert(1)</script>"),
        ("evil.jpg.html", b"<script>alert(1)</script>"),
        ("notes.txt", b"hello"),
        ("noextension", b"hello"),
        ("evil.JS", b"alert(1)"),
    ],
)
def test_media_that_is_not_a_picture_is_not_served(settings, client, name, content):
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    (settings.MEDIA_ROOT / name).write_bytes(content)
    assert client.get(f"/media/{name}").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/media/../newsroom/settings.py",
        "/media/../pyproject.jpg",
        "/media/%2e%2e/%2e%2e/etc/passwd.jpg",
        "/media//etc/hostname.jpg",
        "/media/images/",
        "/media/images",
        "/media/outside.jpg",  # a link in MEDIA_ROOT to a picture outside it
        "/media/missing.jpg",
    ],
)
def test_media_never_leaves_media_root_or_lists_folders(settings, client, tmp_path, url):
    make_image()  # MEDIA_ROOT/images/... exists
    outside = tmp_path / "secret.jpg"
    outside.write_bytes(b"\xff\xd8 not for readers")
    (settings.MEDIA_ROOT / "outside.jpg").symlink_to(outside)
    response = client.get(url)
    assert response.status_code == 404
    assert b"not for readers" not in response.content


def test_media_serving_can_be_turned_off(settings, client):
    image = make_image()
    settings.NEWSROOM_SERVE_MEDIA = False
    assert client.get(image.url).status_code == 404


def test_pictures_parked_in_media_staging_by_an_older_version_are_not_served(settings, client):
    image = make_image()
    (settings.MEDIA_ROOT / "staging").mkdir()
    (settings.MEDIA_ROOT / "staging" / "undescribed.jpg").write_bytes(image.file.open("rb").read())
    assert client.get(image.url).status_code == 200
    assert client.get("/media/staging/undescribed.jpg").status_code == 404
