"""Keywords are "Topics" to readers: every reader page says so, while addresses keep /keywords/."""

import re

import pytest
from django.urls import reverse

from tests.factories import make_article, make_keyword, make_section

pytestmark = pytest.mark.django_db


def test_readers_see_topics_never_keywords(client):
    harbour = make_keyword("Harbour")
    article = make_article(title="Harbour reopens", keywords=[harbour], section=make_section())

    topic_page = client.get(harbour.get_absolute_url())
    article_page = client.get(article.get_absolute_url())

    assert harbour.get_absolute_url() == "/keywords/harbour/" == reverse("articles:keyword", args=["harbour"])
    assert '<p class="kicker">Topic</p>' in topic_page.content.decode()
    assert ">Topics</h2>" in article_page.content.decode()
    for page in (topic_page, article_page, client.get("/")):
        body = page.content.decode().partition("<body>")[2]
        # Only addresses and class names may still say it: no word a reader reads.
        visible = re.sub(r'href="[^"]*"|class="[^"]*"', "", body)
        assert "keyword" not in visible.lower(), page.request["PATH_INFO"]
