"""Signed, expiring share links that show one unpublished article to someone without a login.

The token is the article's id signed with the site's SECRET_KEY, a salt used
for nothing else, and the time it was made. Changing any character breaks the
signature; after NEWSROOM_PREVIEW_LINK_MAX_AGE seconds it is refused; and it
names one article, so it can never open another.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

SALT = "newsroom.articles.preview-link"


def make_token(article_pk: int) -> str:
    return signing.TimestampSigner(salt=SALT).sign_object({"article": article_pk})


def article_pk(token: str) -> int:
    """The article a token opens; raises signing.BadSignature (SignatureExpired too) otherwise."""
    data = signing.TimestampSigner(salt=SALT).unsign_object(token, max_age=settings.NEWSROOM_PREVIEW_LINK_MAX_AGE)
    if not isinstance(data, dict) or not isinstance(data.get("article"), int):
        raise signing.BadSignature("Not a preview token.")
    return data["article"]


def link(article_pk: int) -> str:
    return reverse("articles:share_link", kwargs={"token": make_token(article_pk)})


def expires_at() -> datetime.datetime:
    """When a link made now stops working."""
    return timezone.now() + datetime.timedelta(seconds=settings.NEWSROOM_PREVIEW_LINK_MAX_AGE)
