"""Share links for an article: the sharing addresses of email and four social sites, as plain links.

No button, script, picture or font comes from those sites, so a reader's visit
tells them nothing until the reader clicks. The "copy link" button is ours
(static/js/share.js).
"""

from __future__ import annotations

from typing import NamedTuple
from urllib.parse import quote, urlencode


class ShareLink(NamedTuple):
    name: str  # what the link says
    url: str
    label: str  # its accessible name, saying where it goes


def links(url: str, title: str) -> list[ShareLink]:
    """The share links for the article at url (absolute) called title."""
    return [
        ShareLink("Email", f"mailto:?{urlencode({'subject': title, 'body': url}, quote_via=quote)}", "Share by email"),
        ShareLink("X", f"https://x.com/intent/post?{urlencode({'url': url, 'text': title})}", "Share on X"),
        ShareLink(
            "Facebook", f"https://www.facebook.com/sharer/sharer.php?{urlencode({'u': url})}", "Share on Facebook"
        ),
        ShareLink(
            "LinkedIn",
            f"https://www.linkedin.com/sharing/share-offsite/?{urlencode({'url': url})}",
            "Share on LinkedIn",
        ),
        ShareLink("WhatsApp", f"https://wa.me/?{urlencode({'text': f'{title} {url}'})}", "Share on WhatsApp"),
    ]
