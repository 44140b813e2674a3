"""The brand from the environment (newsroom/brand.py): checked at start, shown on every reader page."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from newsroom import brand

ROOT = Path(__file__).resolve().parents[2]


def test_contrast_is_the_wcag_ratio():
    assert brand.contrast("#000000", "#ffffff") == pytest.approx(21)
    assert brand.contrast("#ffffff", "#ffffff") == pytest.approx(1)
    assert brand.contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the usual AA grey


@pytest.mark.parametrize(
    ("value", "expected"),
    [("", ""), ("  ", ""), ("#A4161A", "#a4161a"), (" #1a5fb4 ", "#1a5fb4")],
)
def test_accent_colour_accepts_readable_hex(value, expected):
    assert brand.accent_colour("X", value, paper=brand.LIGHT_PAPER) == expected


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("red", "not a colour"),
        ("#fff", "not a colour"),
        ("#a4161a;}body{display:none", "not a colour"),  # nothing but a colour reaches the stylesheet
        ("#ffd700", "contrast of 1.4:1"),  # gold on white: unreadable as link text
    ],
)
def test_accent_colour_refuses_what_cannot_be_used(value, says):
    with pytest.raises(brand.BrandError, match=re.escape(says)):
        brand.accent_colour("NEWSROOM_ACCENT_COLOUR", value, paper=brand.LIGHT_PAPER)


def test_a_dark_accent_is_checked_against_the_dark_page():
    assert brand.accent_colour("D", "#ff8a80", paper=brand.DARK_PAPER) == "#ff8a80"
    with pytest.raises(brand.BrandError, match="contrast"):
        brand.accent_colour("D", "#a4161a", paper=brand.DARK_PAPER)


def test_accent_stylesheet_keeps_each_scheme_to_its_own_media_query():
    assert brand.accent_stylesheet("", "") == ""
    only_light = brand.accent_stylesheet("#1a5fb4", "")
    assert only_light == "@media (prefers-color-scheme:light){:root{--accent:#1a5fb4}}"
    both = brand.accent_stylesheet("#1a5fb4", "#8ab4ff")
    assert "(prefers-color-scheme:dark){:root{--accent:#8ab4ff}}" in both


def test_csp_hash_is_the_base64_sha256_of_the_text():
    # echo -n 'a' | openssl dgst -sha256 -binary | base64
    assert brand.csp_hash("a") == "'sha256-ypeBEsobvcr6wjGzmiPcTaeG7/gUfE5yuYB3ha/uSLs='"


def test_footer_links_read_label_equals_url_in_order():
    links = brand.footer_links("F", "About=/pages/about/, Mastodon=https://example.social/@echo ,Tips=mailto:t@x.org")
    assert [(link.label, link.url) for link in links] == [
        ("About", "/pages/about/"),
        ("Mastodon", "https://example.social/@echo"),
        ("Tips", "mailto:t@x.org"),
    ]
    assert brand.footer_links("F", "") == []


@pytest.mark.parametrize("value", ["About", "=/about/", "About=", "Bad=javascript:alert(1)", "Rel=about/"])
def test_footer_links_refuse_what_is_not_a_link(value):
    with pytest.raises(brand.BrandError, match="F"):
        brand.footer_links("F", value)


def run_settings(**env) -> subprocess.CompletedProcess:
    """Load the settings in a fresh process with these variables; print what the brand made of them."""
    script = (
        "import django, json; django.setup()\n"
        "from django.conf import settings as s\n"
        "from newsroom.views import database_unavailable\n"
        "r = database_unavailable()\n"
        "print(json.dumps({'style_src': s.CONTENT_SECURITY_POLICY['DIRECTIVES']['style-src'],"
        " 'css': s.NEWSROOM_BRAND_CSS, 'theme': s.NEWSROOM_THEME_COLOUR,"
        " 'page': r.content.decode(), 'page_policy': r['Content-Security-Policy']}))\n"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith("NEWSROOM_") and k != "DEBUG"}
    base.update(DJANGO_SETTINGS_MODULE="newsroom.settings", DEBUG="1", **env)
    return subprocess.run(  # noqa: S603 (our own interpreter and a fixed script)
        [sys.executable, "-c", script], cwd=ROOT, env=base, capture_output=True, text=True, timeout=120, check=False
    )


def test_an_accent_from_the_environment_is_allowed_by_its_hash_and_nothing_else_inline():
    result = run_settings(NEWSROOM_ACCENT_COLOUR="#1A5FB4")
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["css"] == "@media (prefers-color-scheme:light){:root{--accent:#1a5fb4}}"
    assert found["theme"] == "#1a5fb4"
    # The site's policy and the error pages' own allow exactly that text, and no 'unsafe-inline'.
    assert found["style_src"] == ["'self'", brand.csp_hash(found["css"])]
    assert brand.csp_hash(found["css"]) in found["page_policy"]
    assert "unsafe-inline" not in found["page_policy"]
    assert f"<style>{found['css']}</style>" in found["page"]


def test_a_wrong_accent_stops_the_process_naming_the_variable():
    result = run_settings(NEWSROOM_ACCENT_COLOUR="yellow")
    assert result.returncode != 0
    assert "NEWSROOM_ACCENT_COLOUR='yellow' is not a colour" in result.stderr


@pytest.mark.django_db
def test_reader_pages_show_the_brand_from_settings(client, settings):
    settings.NEWSROOM_SITE_NAME = "The Port Allen Echo"
    settings.NEWSROOM_SITE_TAGLINE = "News from the Wend valley since 1881"
    settings.NEWSROOM_LOGO = "brand/favicon.svg"
    settings.NEWSROOM_FOOTER_LINKS = brand.footer_links("F", "Who we are=/pages/about/,Tips=mailto:tips@example.org")
    settings.NEWSROOM_BRAND_CSS = brand.accent_stylesheet("#1a5fb4", "")

    body = client.get(reverse("articles:home")).content.decode()

    assert '<img class="site-logo" src="/static/brand/favicon.svg" alt="The Port Allen Echo"' in body
    assert '<p class="site-tagline">News from the Wend valley since 1881</p>' in body
    assert '<a href="/pages/about/">Who we are</a>' in body and '<a href="mailto:tips@example.org">Tips</a>' in body
    assert f"<style>{settings.NEWSROOM_BRAND_CSS}</style>" in body
    assert "Published with Newsroom" not in body


@pytest.mark.django_db
def test_a_logo_address_is_used_as_it_is_and_no_logo_shows_the_name(client, settings):
    settings.NEWSROOM_LOGO = "https://cdn.example.org/echo.svg"
    assert 'src="https://cdn.example.org/echo.svg"' in client.get("/").content.decode()
    settings.NEWSROOM_LOGO = ""
    body = client.get("/").content.decode()
    assert "site-logo" not in body and f">{settings.NEWSROOM_SITE_NAME}</a>" in body
