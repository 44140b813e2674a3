"""Benchmark: the sanitizer on the worst bodies known that fit under the size limit.

The sanitizer's parser takes time growing with the square of the nesting depth (and
of the open formatting elements), so each body here is as deep or as tangled as the
size limit (NEWSROOM_MAX_BODY_BYTES) lets it be; content/nesting.py bounds them.
Prints the median of a few runs of sanitize_html() and of prepare_body() (what a
save does) for each, and the slowest. The target is under a second.

    python bench/sanitize_bench.py
    python bench/sanitize_bench.py --runs 5
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def worst_bodies(limit: int) -> dict[str, str]:
    """Bodies of about limit bytes, each hard on the parser in its own way."""

    def fill(unit: str) -> str:
        return (unit * (limit // len(unit) + 1))[:limit]

    distinct_bold = "".join(f"<b id={n}>" for n in range(limit // 8))[:limit]
    return {
        "nested lists (<ul><li>)": fill("<ul><li>"),
        "nested divs": fill("<div>"),
        "nested tables": fill("<table><tr><td>"),
        "unclosed <b> with distinct attributes": distinct_bold,
        "reopened formatting (<div><b id=n>...</div><p>x</p>...)": (
            "<div>" + distinct_bold[:20_000] + "</div>" + fill("<p>x</p>")
        )[:limit],
        "adoption agency (<b><div></b>)": fill("<b><div></b>"),
        "lists 127 deep, repeated": fill("<ul><li>" * 127 + "x" + "</li></ul>" * 127),
        "flat paragraphs": fill("<p>Some words in a paragraph.</p>"),
    }


def median_seconds(function, body: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function(body)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from django.conf import settings

    from articles.content.body import prepare_body
    from articles.content.sanitizer import sanitize_html

    limit = settings.NEWSROOM_MAX_BODY_BYTES
    print(f"size limit {limit:,} bytes, median of {args.runs} runs")
    slowest = 0.0
    for name, body in worst_bodies(limit).items():
        sanitized = median_seconds(sanitize_html, body, args.runs)
        prepared = median_seconds(prepare_body, body, args.runs)
        slowest = max(slowest, sanitized)
        print(f"{name:58} sanitize {sanitized:6.3f} s   prepare_body {prepared:6.3f} s")
    print(f"slowest sanitize_html: {slowest:.3f} s ({'under' if slowest < 1 else 'OVER'} the 1 s target)")


if __name__ == "__main__":
    main()
