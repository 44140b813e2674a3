"""Links as people type them: "example.com/page" or "www.example.com" means an address on the web
(https), not a page beside the article. The sanitizer applies this to every stored href."""

from __future__ import annotations

import re

# A host name first (labels of letters, digits and hyphens, dot-separated, ending in an
# alphabetic top-level domain), then the end, a port, a path, a query or a fragment.
_BARE_HOST = re.compile(
    r"(?P<host>(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?P<tld>[a-z]{2,63}))(?::\d{1,5})?(?:[/?#]|$)",
    re.IGNORECASE,
)
# Relative links to files ("report.pdf", "index.html") look like host names: these endings are
# files, never top-level domains people link to. (.zip and .mov are both; a file wins.)
FILE_ENDINGS = {
    "htm", "html", "php", "asp", "aspx", "jsp", "cgi", "shtml", "xml", "json", "txt", "csv", "rss",
    "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "rtf",
    "jpg", "jpeg", "png", "gif", "webp", "avif", "svg", "mp3", "mp4", "mov", "zip",
}  # fmt: skip


def with_scheme(href: str) -> str:
    """href with https:// in front when it is a web address typed without a scheme ("example.com",
    "www.example.com/a", "//example.com"); anything else as it is (a path, an anchor, a file, a
    link that already has a scheme)."""
    stripped = href.strip()
    if stripped.startswith("//"):
        return "https:" + stripped
    match = _BARE_HOST.match(stripped)
    if match is None or match.group("tld").lower() in FILE_ENDINGS:
        return href
    return "https://" + stripped
