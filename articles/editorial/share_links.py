"""Share links: one unpublished article shown to someone without a login, recorded per article,
expiring, and revocable one by one.

Each link is a ShareLink row; its token is the row's id signed with the site's
SECRET_KEY and a salt used for nothing else. Changing any character breaks the
signature; the row says whether it still works (expires_at, revoked_at); and it
names one article, so it can never open another. Rotating SECRET_KEY still
breaks every link at once.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from articles.editorial import workflow
from articles.models import Article, ShareLink

SALT = "newsroom.articles.share-link"


class Refused(Exception):
    """The token is wrong, or its link expired, was revoked, or its article is gone."""


def create(*, article: Article, user) -> ShareLink:
    expires = timezone.now() + datetime.timedelta(seconds=settings.NEWSROOM_PREVIEW_LINK_MAX_AGE)
    return ShareLink.objects.create(article=article, created_by=workflow.user_or_none(user), expires_at=expires)


def make_token(link: ShareLink) -> str:
    return signing.Signer(salt=SALT).sign_object({"link": link.pk})


def url(link: ShareLink) -> str:
    return reverse("articles:share_link", kwargs={"token": make_token(link)})


def opened(token: str) -> ShareLink:
    """The working link a token names; Refused otherwise."""
    try:
        data = signing.Signer(salt=SALT).unsign_object(token)
    except signing.BadSignature as error:
        raise Refused("not a share link") from error
    if not isinstance(data, dict) or not isinstance(data.get("link"), int):
        raise Refused("not a share link")
    link = ShareLink.objects.filter(pk=data["link"]).first()
    if link is None or not link.active:
        raise Refused("expired or revoked")
    return link


def revoke(link: ShareLink, *, user) -> None:
    if link.revoked_at is None:
        link.revoked_at, link.revoked_by = timezone.now(), workflow.user_or_none(user)
        link.save(update_fields=["revoked_at", "revoked_by"])
