"""Whole sites as their generators lay them out (tests/importing/archives, written for these tests from
each generator's documented conventions; EXPECTED.md says what each file should become and why).

Each archive is imported as a publisher would, then checked where readers and editors look:
the article rows, the old addresses, and the public pages.
"""

import datetime as dt
import re
from pathlib import Path

import pytest

from articles.editorial import workflow
from articles.importing import ImportOptions, import_paths
from articles.models import Article, Image, Redirect

ARCHIVES = Path(__file__).resolve().parent / "archives"
UTC = dt.UTC


def run(name: str, **options):
    return import_paths([ARCHIVES / name], ImportOptions(**options))


def results_by_path(report, name: str) -> dict:
    root = str(ARCHIVES / name) + "/"
    return {result.path.removeprefix(root): result for result in report.files}


def at(*parts) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=UTC)


# source path: (title, slug, publish_at or None, draft?, old address or "", keywords, authors' names (else the
# byline), lead image source)
EXPECTED = {
    "jekyll": {
        "_posts/2009-03-07-first-light.md": (
            "First Light on the Quay", "first-light", at(2009, 3, 7, 8, 5), False,
            "/blog/2009/03/07/first-light.html", {"quay", "photography"}, "", None,
        ),
        "_posts/2011-11-20-xml-entities.md": (
            "Xml Entities", "xml-entities", at(2011, 11, 19, 23), False,
            "/blog/howto/2011/11/20/xml-entities.html", {"howto", "xml"}, "", None,
        ),
        "_posts/2013-02-14-harbour-lights.md": (
            "Harbour Lights Switched to LED", "harbour-lights", at(2013, 2, 14, 20, 30), False,
            "/blog/news/local/2013/02/14/harbour-lights.html", {"news", "local", "ferries", "night-shift"}, "", None,
        ),
        "_posts/2014-01-15-unpublished-notes.md": (
            "Notes for a Piece on the Dredger", "unpublished-notes", at(2014, 1, 14, 23), True, "", {"dredger"}, "",
            None,
        ),
        "_posts/2015-06-02-new-crane.md": (
            "A New Crane for Berth Four", "crane-arrives", at(2015, 6, 1, 22), False,
            "/blog/2015/06/02/crane-arrives.html", {"port", "machines"}, "", "/assets/img/crane.png",
        ),
        "_posts/2016-09-10-market-day.md": (
            "Market Day Moves to the Fish Hall", "market-day", at(2016, 9, 10, 23, 30), False,
            "/blog/events/2016/09/11/market-day.html", {"events", "market"}, "", "/assets/img/market-header.png",
        ),
        "_posts/2017-04-22-rebuilding-the-pier.md": (
            "Rebuilding the Pier", "rebuilding-the-pier", at(2017, 4, 22, 8), False,
            "/blog/news/2017/04/22/rebuilding-the-pier.html", {"news", "pier", "works"}, "", None,
        ),
        "_posts/2018-12-01-winter-timetable.md": (
            "Winter Timetable for the Ferries", "winter-timetable", at(2018, 12, 1, 5), False,
            "/blog/2018/12/01/winter-timetable.html", {"ferries", "timetable"}, "", None,
        ),
        "_posts/2019-05-05-how-to-file-a-tip.md": (
            "How to Send Us a Tip", "how-to-file-a-tip", at(2019, 5, 5, 10), False,
            "/blog/2019/05/05/how-to-file-a-tip.html", {"readers", "help"}, "", None,
        ),
        "_drafts/a-draft.md": ("A Draft About the Lighthouse", "a-draft", None, True, "", {"lighthouse"}, "", None),
        "_drafts/harbour-lights.md": ("Harbour Lights: a Follow-up", "harbour-lights-2", None, True, "", set(), "", None),
    },
    "hugo": {
        "content/posts/spring-flood.md": (
            "Spring Flood Warning", "spring-flood", at(2021, 3, 14, 7, 30), False,
            "/2021/03/spring-flood-warning", {"river", "weather"}, "Desk", None,
        ),
        "content/posts/bridge-survey.md": (
            "Bridge Survey Results", "bridge-survey", at(2021, 5, 2, 12), False,
            "/2021/05/bridge-survey-results", {"bridges", "council", "river"}, "Desk", None,
        ),
        "content/posts/ferry-returns.md": (
            "The Ferry Is Back", "ferry-is-back", at(2021, 7, 9, 21, 45), False,
            "/2021/07/ferry-is-back", {"transport", "ferry", "river"}, "M. Okafor", None,
        ),
        "content/posts/other.md": (
            "Other Side of the River", "other", at(2021, 8, 3, 6), False,
            "/2021/08/other-side-of-the-river", {"towns", "river"}, "Desk", None,
        ),
        "content/posts/unfinished-column.md": (
            "Unfinished Column on Weirs", "unfinished-column", at(2021, 10, 1, 9), True, "", {"weirs", "river"},
            "Desk", None,
        ),
        "content/posts/my-bundle/index.md": (
            "Lock Keeper Logbook", "my-bundle", at(2021, 9, 12, 5), False,
            "/2021/09/lock-keeper-logbook", {"locks", "history", "river"}, "Desk",
            "/content/posts/my-bundle/cover.png",
        ),
    },
    "eleventy": {
        "posts/2020-05-01-first.md": (
            "Planting the First Beds", "first", at(2020, 5, 1), False, "/posts/2020-05-01-first", {"garden"},
            "Lena Ward", None,
        ),
        "posts/2020-05-20-allotment.md": (
            "Allotment Rules, Revised", "allotment", at(2020, 6, 1), False, "/posts/2020-05-20-allotment",
            {"garden", "rules"}, "Lena Ward", None,
        ),
        "posts/2020-07-04-bees.md": (
            "Bees on Plot Nine", "bees", at(2020, 7, 4), False, "/notes/bees", {"bees"}, "Lena Ward", None,
        ),
        "posts/2020-08-15-rain-gauge.md": (
            "A Rain Gauge for the Allotments", "rain-gauge", at(2020, 8, 14, 16), False,
            "/posts/2020-08-15-rain-gauge", {"weather"}, "Lena Ward", None,
        ),
    },
    "jigsaw": {
        "source/_posts/canal-cleanup.md": (
            "Volunteers Clear the Canal", "canal-cleanup", at(2019, 1, 1), False, "/blog/canal-cleanup",
            {"community", "canal"}, "", "/assets/img/canal.png",
        ),
        "source/_posts/night-market.md": (
            "The Night Market Returns", "night-market", at(2019, 3, 15), False, "/blog/night-market", {"events"},
            "", "/assets/img/night-market.png",
        ),
    },
    "gatsby": {
        "content/blog/hello-world/index.md": (
            "Hello World", "hello-world", at(2015, 5, 1, 22, 12, 3, 284000), False, "/hello-world", set(), "",
            "/content/blog/hello-world/salty_egg.png",
        ),
        "content/blog/second/index.md": (
            "Second Helping", "second", at(2015, 5, 28), False, "/second", set(), "",
            "/content/blog/hello-world/salty_egg.png",
        ),
        "content/blog/third-hero/index.md": (
            "Bread Without an Oven", "third-hero", at(2016, 1, 10, 8), False, "/third-hero", set(), "",
            "https://cdn.example.net/h.png",
        ),
        "content/blog/og-post/index.md": (
            "Pickled Onions", "og-post", at(2016, 3, 2), False, "/og-post", set(), "", "/content/blog/og-post/og.png",
        ),
        "content/blog/newstitle-post/index.md": (
            "Soup for a Cold Week", "newstitle-post", at(2016, 11, 20, 18, 30), False, "/newstitle-post", set(), "",
            None,
        ),
    },
}  # fmt: skip
OPTIONS = {"gatsby": {"key_map": {"newstitle": "title"}}}
SKIPPED = {
    "jekyll": {"_config.yml": "config", "_data/x.yml": "data file", "about.md": "layout 'page'"},
    "hugo": {
        "config.toml": "config",
        "content/posts/_index.md": "cascade",
        "content/posts/my-bundle/data.json": "data file",
        "content/posts/my-bundle/notes.txt": "no front matter",
    },
    "eleventy": {"posts/posts.json": "data file", "_data/metadata.json": "data file"},
    "jigsaw": {"config.php": "config"},
    "gatsby": {"gatsby-config.js": "never run"},
}


def _shown_lead(article) -> str | None:
    return article.lead_image.source_url if article.lead_image else None


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_post_of_each_generator_arrives_as_its_site_had_it(name):
    report = run(name, **OPTIONS.get(name, {}))
    results = results_by_path(report, name)
    assert not report.failed, [(r.path, r.error) for r in report.files if r.status == "failed"]
    articles = {article.source_path: article for article in Article.objects.with_authors().prefetch_related("keywords")}
    assert set(articles) == set(EXPECTED[name])
    for path, (title, slug, published, draft, old, keywords, byline, lead) in EXPECTED[name].items():
        article = articles[path]
        got = (
            article.title, article.slug, article.publish_at, article.status == Article.Status.DRAFT,
            article.legacy_url, {k.slug for k in article.keywords.all()},
            ", ".join(a.name for a in article.author_list) or article.byline, _shown_lead(article),
        )  # fmt: skip
        assert got == (title, slug, published, draft, old, keywords, byline, lead), path
    for path, reason in SKIPPED[name].items():
        assert results[path].status == "skipped" and reason in " ".join(results[path].warnings), path


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(EXPECTED))
def test_old_addresses_and_aliases_answer_301_to_the_new_article(client, name):
    run(name, **OPTIONS.get(name, {}))
    live = [a for a in Article.objects.all() if a.legacy_url]
    assert live
    for article in live:
        for path in (article.legacy_url, article.legacy_url + "/"):
            response = client.get(path)
            assert response.status_code == 301 and response["Location"] == article.get_absolute_url(), path
    drafts_with_addresses = Redirect.objects.filter(article__status=Article.Status.DRAFT)
    assert not drafts_with_addresses.exists()


@pytest.mark.django_db
def test_a_hugo_alias_answers_for_its_article(client):
    run("hugo")
    response = client.get("/old/path/")
    assert response["Location"] == Article.objects.get(slug="ferry-is-back").get_absolute_url()


@pytest.mark.django_db
def test_a_second_run_changes_nothing():
    first = run("jekyll")
    again = run("jekyll")
    assert again.counts["unchanged"] == first.counts["created"]
    assert again.counts["created"] == again.counts["updated"] == 0


@pytest.mark.django_db
def test_without_the_key_map_a_site_key_is_not_lost_silently():
    result = results_by_path(run("gatsby"), "gatsby")["content/blog/newstitle-post/index.md"]
    assert "no title: made from the file name" in result.warnings
    assert Article.objects.get(slug="newstitle-post").title == "Newstitle Post"


TEMPLATE_SYNTAX = re.compile(r"\{%|%\}|\{\{|\}\}")
CODE = re.compile(r"<pre\b.*?</pre>|<code\b.*?</code>", re.DOTALL)


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(EXPECTED))
def test_no_page_shows_template_syntax_outside_code(client, name):
    run(name, **OPTIONS.get(name, {}))
    for article in Article.objects.filter(status=Article.Status.PUBLISHED):
        page = client.get(article.get_absolute_url()).content.decode()
        article_html = page[page.index("<article") : page.rindex("</article>")]
        assert not TEMPLATE_SYNTAX.search(CODE.sub("", article_html)), article.source_path


def article_html(client, slug: str) -> str:
    page = client.get(Article.objects.get(slug=slug).get_absolute_url()).content.decode()
    return page[page.index("<article") : page.rindex("</article>")]


@pytest.mark.django_db
def test_jekyll_pages_show_what_the_old_site_showed(client):
    run("jekyll")
    xml = article_html(client, "xml-entities")
    assert (
        '<code class="language-xml">&lt;!DOCTYPE x [ &lt;!ENTITY a "b"&gt; ]&gt;\n&lt;timetable&gt;&amp;a;&lt;/timetable&gt;'
        in xml
    )
    assert "{{ not_a_var }}" in xml  # inside its code block: shown as the author wrote it
    pier = article_html(client, "rebuilding-the-pier")
    assert f'href="{Article.objects.get(slug="first-light").get_absolute_url()}"' in pier  # {% post_url %}
    assert 'href="https://old.example.org/blog/2010/01/01/winter-storm.html"' in pier  # dead: to the old site
    timetable = article_html(client, "winter-timetable")
    assert 'href="#body-fn1"' in timetable and 'id="body-fn1"' in timetable
    assert '<abbr title="Estimated time of arrival">ETA</abbr>' in timetable
    assert "<dt>Ferry</dt>" in timetable and "☑ Check the" in timetable and "☐ Buy a return ticket" in timetable
    assert "{:" not in timetable and "*[ETA]" not in timetable and "[^1]" not in timetable
    tip = article_html(client, "how-to-file-a-tip")
    assert tip.count("<h1") == 1  # the headline; the body's <h1> is a subheading
    steps = tip[tip.index("<ol>") : tip.index("</ol>")]
    assert [steps.index(f"Step {n}:") for n in (1, 2, 3)] == sorted(steps.index(f"Step {n}:") for n in (1, 2, 3))
    assert steps.count("<li>") == 3 and steps.count("<picture") == 3  # each screenshot in its own step
    assert 'href="https://gist.github.com/u/123"' in tip and "<script" not in tip


@pytest.mark.django_db
def test_jekyll_report_names_every_loss_with_its_line(client):
    results = results_by_path(run("jekyll"), "jekyll")
    tip = results["_posts/2019-05-05-how-to-file-a-tip.md"].warnings
    assert "gist embed kept as a link: https://gist.github.com/u/123" in tip
    assert "<video> kept as a link: /assets/video/a.mp4" in tip
    pier = results["_posts/2017-04-22-rebuilding-the-pier.md"].warnings
    assert any(w.startswith("dead link: /blog/2010/01/01/winter-storm.html") for w in pier)


@pytest.mark.django_db
def test_hugo_pages_show_what_the_old_site_showed(client):
    report = run("hugo")
    ferry = article_html(client, "ferry-is-back")
    assert '<h2 id="body-intro">Intro</h2>' in ferry and 'href="#body-intro"' in ferry
    assert '<figcaption><span class="caption">The ferry at the south landing.' in ferry
    assert 'src="https://www.youtube-nocookie.com/embed/w7Ft2ymGmfc"' in ferry
    assert 'href="https://gist.github.com/spf13/7896402"' in ferry
    assert 'href="https://twitter.com/SanDiegoZoo/status/1453110110599868418"' in ferry
    assert "func fare(adult bool) int { if adult { return 2 }; return 1 }" in ferry
    assert f'href="{Article.objects.get(slug="other").get_absolute_url()}"' in ferry  # {{< ref >}}
    assert '<code class="legacy-template">{{&lt; myshortcode &gt;}}</code>' in ferry  # shown, as code, never run
    warnings = results_by_path(report, "hugo")["content/posts/ferry-returns.md"].warnings
    assert "line 30: unknown Hugo shortcode {{< myshortcode >}}: kept as text" in warnings


@pytest.mark.django_db
def test_a_theme_include_with_a_picture_becomes_a_figure_stored_once(client):
    run("jekyll")
    market = article_html(client, "market-day")
    assert "Stalls inside the fish hall" in market and "The first stalls, set up for a trial run." in market
    assert "{% include" not in market and "image_path" not in market
    # x.png is shown twice (the include and {{ site.baseurl }}/assets/img/x.png): one picture in the library.
    assert Image.objects.filter(source_url__in=["/assets/img/x.png", "/blog/assets/img/x.png"]).count() == 1


@pytest.mark.django_db
def test_an_imported_draft_published_later_keeps_the_date_it_was_given(editor):
    run("jekyll")
    draft = Article.objects.get(slug="unpublished-notes")
    workflow.publish_now(article=draft, user=editor)
    draft.refresh_from_db()
    assert (draft.status, draft.publish_at) == (Article.Status.PUBLISHED, at(2014, 1, 14, 23))
