"""{% shell %}: the page shell (head links, masthead and navigation, footer) drawn once per
process for the values it names, and drawn again when any of them changes."""

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.test import override_settings
from django.urls import reverse, set_script_prefix

from articles.templatetags import articles_tags as newsroom
from tests.factories import make_article, make_section

MEMO = Template('{% load articles_tags %}{% shell "test" name %}{{ name }}-{{ other }}{% endshell %}')


@pytest.fixture(autouse=True)
def no_shells():
    newsroom._SHELLS.clear()
    yield
    newsroom._SHELLS.clear()


def test_drawn_once_for_the_same_values_and_again_for_others():
    assert MEMO.render(Context({"name": "a", "other": 1})) == "a-1"
    # other is not named: the copy drawn for name=a is what every page with name=a gets.
    assert MEMO.render(Context({"name": "a", "other": 2})) == "a-1"
    assert MEMO.render(Context({"name": "b", "other": 2})) == "b-2"


@override_settings(DEBUG=True)
def test_drawn_every_time_while_debugging():
    assert MEMO.render(Context({"name": "a", "other": 1})) == "a-1"
    assert MEMO.render(Context({"name": "a", "other": 2})) == "a-2"


def test_a_changed_setting_draws_it_again():
    MEMO.render(Context({"name": "a", "other": 1}))
    with override_settings(NEWSROOM_SITE_NAME="Elsewhere"):
        assert MEMO.render(Context({"name": "a", "other": 2})) == "a-2"


def test_the_memo_never_grows_past_its_bound():
    for n in range(newsroom._MAX_SHELLS + 10):
        MEMO.render(Context({"name": n}))
    assert len(newsroom._SHELLS) <= newsroom._MAX_SHELLS


def test_a_shell_needs_a_name():
    with pytest.raises(TemplateSyntaxError, match="needs a name"):
        Template("{% load articles_tags %}{% shell %}x{% endshell %}")


@pytest.mark.django_db
def test_pages_show_a_renamed_section_and_the_current_one_at_once(client):
    news, sport = make_section("News"), make_section("Sport")
    make_article(section=sport)
    home = client.get(reverse("articles:home")).content.decode()
    assert ">News</a>" in home and 'aria-current="page">' not in home.split("</nav>")[0]
    page = client.get(sport.get_absolute_url()).content.decode()
    assert f'<a href="{sport.get_absolute_url()}" aria-current="page">Sport</a>' in page
    news.name = "Latest"
    news.save()
    home = client.get(reverse("articles:home")).content.decode()
    assert ">Latest</a>" in home and ">News</a>" not in home


@pytest.mark.django_db
def test_a_site_under_a_prefix_gets_its_own_shell(client):
    assert 'class="site-name" href="/"' in client.get(reverse("articles:home")).content.decode()
    set_script_prefix("/news/")
    try:
        page = client.get("/", SCRIPT_NAME="/news").content.decode()
    finally:
        set_script_prefix("/")
    assert 'class="site-name" href="/news/"' in page


def test_values_that_are_not_hashable_are_frozen_for_the_key():
    memo = Template('{% load articles_tags %}{% shell "dicts" items %}{{ items.0.a }}{% endshell %}')
    assert memo.render(Context({"items": [{"a": 1}]})) == "1"
    assert memo.render(Context({"items": [{"a": 2}]})) == "2"
    assert memo.render(Context({"items": [{"a": 1}]})) == "1"
