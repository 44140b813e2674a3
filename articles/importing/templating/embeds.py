"""The embeds Liquid tags and Hugo shortcodes both write: figures, videos, and gists, posts on X and Instagram.

Videos become a privacy-friendly iframe; gists and social posts need the old site's
scripts, so they become a link to the original with a warning.
"""

from __future__ import annotations

import re

from django.utils.html import format_html

from articles.importing.templating.writer import Writer, one_line

_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{6,20}$")
_YOUTUBE_URL = re.compile(r"(?:youtube(?:-nocookie)?\.com/(?:watch\?(?:.*&)?v=|embed/|shorts/)|youtu\.be/)([\w-]+)")
_VIMEO_ID = re.compile(r"\d+$")
_VIMEO_URL = re.compile(r"vimeo\.com/(?:video/)?(\d+)")
_GIST_USER = re.compile(r"[A-Za-z0-9-]+$")
_GIST_ID = re.compile(r"[A-Za-z0-9]+$")
_INSTAGRAM_ID = re.compile(r"[A-Za-z0-9_-]+$")
_TWEET_ID = re.compile(r"\d+$")


def _youtube_id(value: str) -> str | None:
    match = _YOUTUBE_URL.search(value)
    video_id = match.group(1) if match else value
    return video_id if _YOUTUBE_ID.match(video_id) else None


def _vimeo_id(value: str) -> str | None:
    match = _VIMEO_URL.search(value)
    video_id = match.group(1) if match else value
    return video_id if _VIMEO_ID.match(video_id) else None


def figure(src: str, alt: str, caption: str, link: str = "") -> str:
    image = format_html('<img src="{}" alt="{}">', src, alt)
    if link:
        image = format_html('<a href="{}">{}</a>', link, image)
    if caption:
        return str(format_html("<figure>{}<figcaption>{}</figcaption></figure>", image, caption))
    return str(format_html("<figure>{}</figure>", image))


def _iframe(src: str, title: str) -> str:
    return str(format_html('<iframe src="{}" title="{}" allowfullscreen></iframe>', src, title))


class Embeds(Writer):
    def embed(self, service: str, value: str, start: int, stop: int) -> int:
        if service == "youtube":
            video_id = _youtube_id(value)
            src, title = f"https://www.youtube-nocookie.com/embed/{video_id}", "YouTube video"
        else:
            video_id = _vimeo_id(value)
            src, title = f"https://player.vimeo.com/video/{video_id}", "Vimeo video"
        if not video_id:
            self.mark(start, stop, f"{service} video id {value!r} not valid: kept as text")
            return stop
        self.block(_iframe(src, title), stop)
        return stop

    def gist(self, user: str, gist_id: str, start: int, stop: int) -> int:
        if not _GIST_ID.match(gist_id) or (user and not _GIST_USER.match(user)):
            self.mark(start, stop, "gist not understood: kept as text")
            return stop
        path = f"{user}/{gist_id}" if user else gist_id
        return self.embed_link(f"https://gist.github.com/{path}", f"Gist: {path}", "gist", start, stop)

    def tweet(self, user: str, tweet_id: str, start: int, stop: int) -> int:
        if not _TWEET_ID.match(tweet_id) or (user and not re.match(r"\w{1,15}$", user)):
            self.mark(start, stop, "post on X not understood: kept as text")
            return stop
        href = f"https://twitter.com/{user or 'i'}/status/{tweet_id}"
        return self.embed_link(href, f"Post on X by @{user}" if user else "Post on X", "tweet", start, stop)

    def instagram(self, post_id: str, start: int, stop: int) -> int:
        if not _INSTAGRAM_ID.match(post_id):
            self.mark(start, stop, "instagram post id not valid: kept as text")
            return stop
        return self.embed_link(f"https://www.instagram.com/p/{post_id}/", "Instagram post", "instagram", start, stop)

    def embed_link(self, href: str, text: str, service: str, start: int, stop: int) -> int:
        """An embed that needs the old site's scripts, kept as a paragraph linking to the original."""
        self.block(str(format_html('<p><a href="{}">{}</a></p>', href, text)), stop)
        self.warn(start, f"{one_line(self.text[start:stop])}: {service} embed kept as a link")
        return stop
