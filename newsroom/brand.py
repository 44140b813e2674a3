"""The reader site's brand from the environment: accent colours, logo and footer links.

settings.py reads and checks the values here at start (a wrong colour stops the process
with its name), and builds the small inline stylesheet that sets the accent. Readers'
pages allow no inline style, so the policy names that one stylesheet by its hash
(CSP's 'sha256-…' source): no extra request, nothing else inline allowed.
Pure functions: no Django imports, so settings.py can use them.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass

HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
# What the accent sits on (static/css/site.css, --paper) and must stand out from as text (WCAG AA).
LIGHT_PAPER, DARK_PAPER = "#ffffff", "#121212"
MIN_CONTRAST = 4.5


class BrandError(ValueError):
    """A brand setting that cannot be used; the message names the variable and says why."""


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours, 1 to 21."""
    lighter, darker = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def accent_colour(name: str, value: str, *, paper: str) -> str:
    """value as a lower-case #rrggbb accent readable on paper, "" when unset; else BrandError."""
    value = value.strip()
    if not value:
        return ""
    if not HEX_COLOUR.fullmatch(value):
        raise BrandError(f"{name}={value!r} is not a colour: write it as #rrggbb, e.g. #a4161a.")
    ratio = contrast(value, paper)
    if ratio < MIN_CONTRAST:
        raise BrandError(
            f"{name}={value} has a contrast of {ratio:.1f}:1 on the page's {paper}: links and labels in it "
            f"would be hard to read. Pick a colour with at least {MIN_CONTRAST}:1 (WCAG AA)."
        )
    return value.lower()


def accent_stylesheet(light: str, dark: str) -> str:
    """The inline stylesheet that overrides site.css's --accent (empty when neither is set).

    Each scheme's rule sits in its own media query, so setting only the light accent
    keeps site.css's dark one (a later :root rule would otherwise win in both)."""
    rules = [
        f"@media (prefers-color-scheme:{scheme}){{:root{{--accent:{colour}}}}}"
        for scheme, colour in (("light", light), ("dark", dark))
        if colour
    ]
    return "".join(rules)


def csp_hash(text: str) -> str:
    """The Content-Security-Policy source that allows exactly this inline <style> text."""
    digest = hashlib.sha256(text.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


@dataclass(frozen=True)
class FooterLink:
    label: str
    url: str


def footer_links(name: str, value: str) -> list[FooterLink]:
    """ "Label=URL" items, comma-separated, in order; an item without both is a BrandError."""
    links = []
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        label, _, url = (piece.strip() for piece in item.partition("="))
        if not label or not url:
            raise BrandError(f"{name}: {item!r} is not Label=URL (e.g. About=/pages/about/).")
        if not url.startswith(("/", "https://", "http://", "mailto:")):
            raise BrandError(f"{name}: {url!r} must be a path on this site (/...), an http(s) URL or mailto:.")
        links.append(FooterLink(label, url))
    return links


def is_url(logo: str) -> bool:
    """True for an address used as it is (absolute, or a path on this site); False for a static file's name."""
    return logo.startswith(("https://", "http://", "/"))
