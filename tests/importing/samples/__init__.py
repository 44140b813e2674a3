"""Legacy files for the importer's tests: invented ones in the shape of real archives, and the real samples.

Every story, caption and address made here is invented for the tests. LEGACY
holds real files, copied with their licences: a scraped tabloid post
(000_943a7872124e8bb8.txt) and the Jigsaw blog starter (jigsaw-blog-template,
MIT), read by the tests that say so.
"""

from __future__ import annotations

from pathlib import Path

LEGACY = Path(__file__).resolve().parent / "legacy"

# The 1×1 transparent GIF that scraped pages use as a lazy-load placeholder.
PLACEHOLDER = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"

LEAD_URL = "https://images.example.org/2021/05/ferry-lead.jpg"
SECOND_URL = "https://images.example.org/2021/05/ferry-deck.jpg"
THIRD_URL = "https://images.example.org/2021/05/ferry-crowd.jpg"

# Captions as the file spells them (entities) and as readers must see them (decoded once).
LEAD_CAPTION_HTML = "The old ferry &#8216;Marigold&#8217; leaves the harbour for the last time"
LEAD_CAPTION = "The old ferry \u2018Marigold\u2019 leaves the harbour for the last time"
SECOND_CAPTION_HTML = "Crew &amp; passengers on the upper deck, where tea was 20p in 1974"
SECOND_CAPTION = "Crew & passengers on the upper deck, where tea was 20p in 1974"
THIRD_CAPTION_HTML = "Hundreds lined the pier &#8211; some had sailed on her maiden trip &amp;amp; wept"
THIRD_CAPTION = "Hundreds lined the pier \u2013 some had sailed on her maiden trip &amp; wept"

SEED_TITLE = "Farewell Marigold: island\u2019s last steam ferry makes her final crossing"
SEED_STANDFIRST = "After 61 years of service the ferry is retired. Islanders turned out in their hundreds."
SEED_EPOCH = 1620054123.4567891  # 2021-05-03 15:02:03.456789 UTC


def post(front: str, body: str = "<p>A short body.</p>\n") -> str:
    """A legacy file: front matter between '---' lines, then the body."""
    return f"---\n{front.strip(chr(10))}\n---\n{body}"


def simple_post(
    title: str = "A quiet day at the harbour", *, date: str = "2021-03-04 09:30:00", extra: str = ""
) -> str:
    front = f"title: {title}\ndate: {date}\n{extra}".strip("\n")
    return post(front, f"<p>{title}: nothing else happened.</p>\n")


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return path


def lazy_image(image_id: str, src: str, alt: str, *, caption_html: str | None = None) -> str:
    """A picture as the scraper saved it: placeholder, the real img, then an optional caption paragraph."""
    html = (
        f'<img id="{image_id}" src="{PLACEHOLDER}" height="400" width="600" alt="{alt}" class="blkBorder img-share">  '
        f'<img id="{image_id}" src="{src}" height="400" width="600" alt="{alt}" class="blkBorder img-share">  '
    )
    if caption_html is not None:
        html += f'<p class="clear"></p><p class="imageCaption">{caption_html}</p>'
    return html


def seed_post(*, lead: str = LEAD_URL, second: str = SECOND_URL, third: str = THIRD_URL, date=SEED_EPOCH) -> str:
    """A file shaped like the scraped tabloid sample: trailing spaces, folded scalars, lazy images."""
    body = (
        '<div><p class="mol-para-with-font">The <a href="/news/ferries/index.html" id="a-1">island ferry</a> '
        "Marigold made her last crossing on Monday, 61 years after her first.</p>"
        '<p class="mol-para-with-font">&#8216;She never missed a tide,&#8217; said a retired skipper.</p>'
        + lazy_image("i-aaaa1111", lead, "The ferry leaving", caption_html=LEAD_CAPTION_HTML)
        + '<p class="mol-para-with-font">Tea on board cost 20p for decades.</p>'
        + lazy_image("i-bbbb2222", second, "The upper deck", caption_html=SECOND_CAPTION_HTML)
        + '<p class="home item html_snippet module">  </p> '
        + '<p class="mol-para-with-font">A new electric ferry takes over next week.</p>'
        + lazy_image("i-cccc3333", third, "The pier", caption_html=THIRD_CAPTION_HTML)
        + '<p class="mol-para-with-font">The Marigold will be kept as a museum ship.</p></div>'
    )
    return (
        "--- \n"
        "extends: _layouts.post \n"
        "section: content \n"
        f"image: {lead} \n"
        "title: > \n"
        f"  {SEED_TITLE} \n"
        "description: > \n"
        f"  {SEED_STANDFIRST} \n"
        "keywords: > \n"
        "  ferry, island, Marigold, harbour, ferry , Island \n"
        f"date: {date} \n"
        "--- \n" + body
    )
