"""Write N legacy files for benchmarks: scraped tabloid posts, or a Jekyll site's _posts.

Each file has YAML front matter (layout keys, a remote lead image, a folded
title, a description, comma-separated keywords, an epoch-float date) and an
HTML body with paragraphs, three pictures each preceded by a lazy-load
placeholder and followed by an imageCaption paragraph, and an empty ad slot.
A Jekyll site (write_jekyll_site) has a _config.yml with a permalink rule and
a time zone, and Markdown posts named YYYY-MM-DD-slug.md without a date key,
with categories as a space-separated string, headings, lists, emphasis, remote
pictures; one in ten with a {% highlight %} block, a {% post_url %} link to an
earlier post, footnotes and a theme's image: mapping.
The text is generated; nothing is copied from real articles.

    python bench/make_corpus.py 10000 /tmp/corpus [tabloid|jekyll]
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

WORDS = (
    "harbour council ferry quay budget library river festival school bridge market station weather "
    "museum election mayor tram garden theatre stadium hospital park coast island orchard village "
    "lighthouse bakery workshop volunteers residents plans record night morning storm summer winter"
).split()
PLACEHOLDER = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def figure(rng: random.Random, n: int, k: int) -> str:
    ident = f"i-{n:06d}{k}"
    url = f"https://images.example.org/{n % 997}/{n}-{k}.jpg"
    alt = sentence(rng, 12)
    attrs = f'height="466" width="634" alt="{alt}" class="blkBorder img-share"'
    return (
        f'<img id="{ident}" src="{PLACEHOLDER}" {attrs}>  <img id="{ident}" src="{url}" {attrs}>  '
        f'<p class="clear"></p><p class="imageCaption">{sentence(rng, 14)} &#8216;quoted&#8217;</p>'
    )


def post(n: int) -> str:
    rng = random.Random(n)
    paragraphs = [f'<p class="mol-para-with-font">{sentence(rng, rng.randint(15, 40))}</p>' for _ in range(14)]
    for k, at in enumerate((4, 8, 12)):
        paragraphs.insert(at + k, figure(rng, n, k))
    paragraphs.insert(6, '<p class="home item html_snippet module">  </p>')
    keywords = ", ".join(rng.sample(WORDS, 8))
    return (
        "--- \nextends: _layouts.post \nsection: content \n"
        f"image: https://images.example.org/lead/{n}.jpg \n"
        f"title: > \n  {sentence(rng, 9)[:-1]} number {n} \n"
        f"description: > \n  {sentence(rng, 30)} \n"
        f"keywords: > \n  {keywords} \n"
        f"date: {1600000000 + n * 61.25} \n--- \n"
        f"<div>{''.join(paragraphs)}</div>"
    )


def write_corpus(count: int, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        (directory / f"{n:06d}.txt").write_text(post(n), encoding="utf-8")


JEKYLL_CONFIG = """title: Bench Gazette
url: https://old.example.org
baseurl: /news
permalink: /:categories/:year/:month/:day/:title:output_ext
timezone: Europe/London
"""


def jekyll_name(n: int) -> str:
    day = 14000 + n // 3  # days since 1970: three posts a day from 2008
    date = __import__("datetime").date.fromordinal(719163 + day)
    return f"{date:%Y-%m-%d}-{WORDS[n % len(WORDS)]}-story-{n}"


def jekyll_post(n: int) -> str:
    rng = random.Random(n)
    categories = " ".join(rng.sample(WORDS, 2))
    front = [
        f"title: {sentence(rng, 8)[:-1]} {n}",
        f"categories: {categories}",
        f"tags: [{', '.join(rng.sample(WORDS, 3))}]",
    ]
    if n % 10 == 3:
        front.append(
            f"image:\n  path: https://images.example.org/lead/{n}.jpg\n  thumbnail: https://images.example.org/t/{n}.jpg"
        )
    else:
        front.append(f"excerpt: {sentence(rng, 20)}")
    body = [sentence(rng, rng.randint(20, 40)) for _ in range(3)]
    body.append(f"## {sentence(rng, 4)[:-1]}")
    body += [f"- {sentence(rng, 6)}" for _ in range(3)]
    body.append(f"Some *{rng.choice(WORDS)}* and **{rng.choice(WORDS)}** in [a link](https://example.org/{n}).")
    body.append(f"![{sentence(rng, 8)}](https://images.example.org/{n % 997}/{n}.jpg)")
    body += [sentence(rng, rng.randint(20, 40)) for _ in range(4)]
    if n % 10 == 1 and n > 10:
        body.append(f"As we reported [before]({{% post_url {jekyll_name(n - 10)} %}}).")
    if n % 10 == 5:
        body.append(
            "{% highlight python %}\nfor tide in tides:\n    print(tide)  # {{ not_liquid }}\n{% endhighlight %}"
        )
    if n % 10 == 7:
        body.append(f"A claim.[^1]\n\n[^1]: {sentence(rng, 10)}")
    return "---\n" + "\n".join(front) + "\n---\n\n" + "\n\n".join(body) + "\n"


def write_jekyll_site(count: int, directory: Path) -> None:
    posts = directory / "_posts"
    posts.mkdir(parents=True, exist_ok=True)
    (directory / "_config.yml").write_text(JEKYLL_CONFIG, encoding="utf-8")
    for n in range(count):
        (posts / f"{jekyll_name(n)}.md").write_text(jekyll_post(n), encoding="utf-8")


if __name__ == "__main__":
    writer = write_jekyll_site if sys.argv[3:] == ["jekyll"] else write_corpus
    writer(int(sys.argv[1]), Path(sys.argv[2]))
