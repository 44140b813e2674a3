"""Write N legacy files shaped like a scraped tabloid post, for benchmarks.

Each file has YAML front matter (layout keys, a remote lead image, a folded
title, a description, comma-separated keywords, an epoch-float date) and an
HTML body with paragraphs, three pictures each preceded by a lazy-load
placeholder and followed by an imageCaption paragraph, and an empty ad slot.
The text is generated; nothing is copied from real articles.

    python bench/make_corpus.py 10000 /tmp/corpus
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


if __name__ == "__main__":
    write_corpus(int(sys.argv[1]), Path(sys.argv[2]))
