"""The admin's home page is the newsroom's dashboard (articles/editorial/dashboard.py): what waits
for review, goes live soon, one's drafts, what went live, the last imports. Writers see their own
work, editors everyone's; the page costs the same number of queries however many articles there are."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from articles.editorial import pending, workflow
from articles.editorial.dashboard import PANEL_ROWS, dashboard_for
from articles.models import Article, ArticleEvent, ImportRun, PendingChange
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db
Status = Article.Status
NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def other_writer(django_user_model):
    return make_user(django_user_model, "other-writer", "Writers")


def submitted(title, user, at):
    """A draft user wrote and submitted for review at at."""
    article = make_article(title=title, status=Status.DRAFT, created_by=user)
    with time_machine.travel(at, tick=False):
        workflow.submit(article=article, user=user)
    return article


def proposed(title, user, at):
    """A live article (written by nobody in particular) with a change user proposed at at."""
    article = make_article(title=title, publish_at=at - DAY)
    article.title = f"{title}, corrected"
    with time_machine.travel(at, tick=False):
        pending.propose(article=article, keyword_ids=[], user=user)
    article.refresh_from_db()  # the live title, not the proposed one
    return article


def work_of(user, name):
    """One of everything a writer makes: a draft, an article in review, a change, a scheduled and a live one."""
    return {
        "draft": make_article(title=f"{name} draft", status=Status.DRAFT, created_by=user),
        "review": submitted(f"{name} in review", user, NOW - 3 * HOUR),
        "change": proposed(f"{name} live story", user, NOW - 2 * HOUR),
        "scheduled": make_article(title=f"{name} scheduled", publish_at=NOW + DAY, created_by=user),
        "live": make_article(title=f"{name} live", publish_at=NOW - HOUR, created_by=user),
    }


def titles(panel):
    return {row.title for row in panel.rows}


def test_a_writer_sees_only_their_own_work_and_an_editor_sees_everyones(writer, other_writer, editor):
    mine, theirs = work_of(writer, "Mine"), work_of(other_writer, "Theirs")

    own = dashboard_for(writer, now=NOW)
    assert not own.everyone
    assert titles(own.waiting_for_review) == {"Mine in review", "Mine live story"}
    assert own.waiting_for_review.total == 2
    assert titles(own.scheduled_soon) == {"Mine scheduled"}
    assert titles(own.my_drafts) == {"Mine draft"}
    assert titles(own.recently_published) == {"Mine live"}  # the story a change was proposed to is nobody's

    everyones = dashboard_for(editor, now=NOW)
    assert everyones.everyone
    assert titles(everyones.waiting_for_review) == {
        "Mine in review", "Mine live story", "Theirs in review", "Theirs live story"
    }  # fmt: skip
    assert titles(everyones.scheduled_soon) == {"Mine scheduled", "Theirs scheduled"}
    assert titles(everyones.recently_published) >= {"Mine live", "Theirs live"}
    assert titles(everyones.my_drafts) == set()  # drafts are their writer's, for editors too
    assert {mine["draft"].pk, theirs["draft"].pk}.isdisjoint(
        row.article_id for row in everyones.waiting_for_review.rows
    )


def test_waiting_for_review_is_oldest_first_with_who_and_since_when(writer, other_writer, editor):
    submitted("Newest", writer, NOW - HOUR)
    proposed("Live story", other_writer, NOW - 5 * HOUR)
    oldest = submitted("Oldest", other_writer, NOW - 2 * DAY)
    with time_machine.travel(NOW - HOUR / 2, tick=False):  # sent back and submitted again: waits from then
        workflow.send_back(article=oldest, user=editor)
        workflow.submit(article=oldest, user=writer)
    submitted("Middle", other_writer, NOW - 3 * HOUR)
    returned = proposed("Returned", writer, NOW - 6 * HOUR)
    pending.send_back(article=returned, user=editor, note="Sources?")  # back with its writer: waits for nobody

    rows = dashboard_for(editor, now=NOW).waiting_for_review.rows

    assert [(row.title, row.who, row.at, row.change) for row in rows] == [
        ("Live story", "other-writer", NOW - 5 * HOUR, True),
        ("Middle", "other-writer", NOW - 3 * HOUR, False),
        ("Newest", "writer", NOW - HOUR, False),
        ("Oldest", "writer", NOW - HOUR / 2, False),
    ]


def test_scheduled_shows_the_next_seven_days_soonest_first_with_times(client, editor):
    make_article(title="Next week and a day", publish_at=NOW + 8 * DAY)
    make_article(title="In six days", publish_at=NOW + 6 * DAY + HOUR)
    make_article(title="In an hour", publish_at=NOW + HOUR)
    make_article(title="Already live", publish_at=NOW - HOUR)
    make_article(title="A draft with a date", status=Status.DRAFT, publish_at=NOW + HOUR)

    panel = dashboard_for(editor, now=NOW).scheduled_soon

    assert [(row.title, row.at) for row in panel.rows] == [
        ("In an hour", NOW + HOUR),
        ("In six days", NOW + 6 * DAY + HOUR),
    ]
    assert panel.total == 2
    client.force_login(editor)
    with time_machine.travel(NOW, tick=False):
        page = client.get(reverse("admin:index")).content.decode()
    assert '<time datetime="2026-03-02T10:00:00+00:00">Mon 2 Mar, 10:00 UTC</time>' in page


def test_panels_are_capped_and_count_everything(editor):
    for n in range(PANEL_ROWS + 2):
        make_article(title=f"Draft {n}", status=Status.DRAFT, created_by=editor)

    panel = dashboard_for(editor, now=NOW).my_drafts

    assert len(panel.rows) == PANEL_ROWS
    assert panel.total == PANEL_ROWS + 2
    assert panel.rows[0].title == "Draft 11"  # the last saved first


def test_editors_see_failed_and_unfinished_imports_and_writers_do_not(client, writer, editor):
    failed = ImportRun.objects.create(source="old-blog/", report={"created": 4, "failed": 3}, started_by=editor)
    stopped = ImportRun.objects.create(source="archive/", report={"finished": False})

    runs = dashboard_for(editor, now=NOW).recent_imports
    assert [(run.pk, run.failures, run.unfinished) for run in runs] == [(stopped.pk, 0, True), (failed.pk, 3, False)]
    assert dashboard_for(writer, now=NOW).recent_imports is None

    client.force_login(editor)
    page = client.get(reverse("admin:index")).content.decode()
    assert f'<a href="{reverse("admin:articles_importrun_change", args=[failed.pk])}">old-blog/</a>' in page
    assert '<td class="newsroom-result--failed">3</td>' in page
    assert "did not finish" in page
    client.force_login(writer)
    page = client.get(reverse("admin:index")).content.decode()
    assert "Last imports" not in page and "/admin/articles/importrun/" not in page


def test_every_row_links_to_its_article_and_see_all_keeps_a_writer_to_their_own(client, writer, other_writer):
    mine, theirs = work_of(writer, "Mine"), work_of(other_writer, "Theirs")
    client.force_login(writer)

    with time_machine.travel(NOW, tick=False):
        page = client.get(reverse("admin:index")).content.decode()

    for kind, article in mine.items():
        link = f'<a href="{reverse("admin:articles_article_change", args=[article.pk])}">{article.title}</a>'
        assert link in page, kind
    assert not any(article.title in page for article in theirs.values())
    changelist = reverse("admin:articles_article_changelist")
    assert f'href="{changelist}?state=review&amp;mine=1"' in page
    assert f'href="{changelist}?state=change&amp;mine=1"' in page
    assert 'id="content-main"' in page and "app-articles" in page  # the list of apps stays, below
    with time_machine.travel(NOW, tick=False):
        listed = client.get(changelist, {"state": "change", "mine": "1"}).context["cl"].result_list
    assert [article.pk for article in listed] == [mine["change"].pk]


def test_staff_who_may_see_no_articles_get_the_plain_admin_home(client, django_user_model):
    client.force_login(make_user(django_user_model, "intern"))

    response = client.get(reverse("admin:index"))

    assert response.status_code == 200 and response.context["dashboard"] is None
    assert "Waiting for review" not in response.content.decode()


def many(count, writer, editor):
    """count of everything each panel lists, through bulk inserts (the panels read rows, not save paths)."""
    articles = Article.objects.bulk_create(
        Article(title=f"{status} {n}", slug=f"{n}-{kind}", status=status, publish_at=at, created_by=writer)
        for n in range(count)
        for kind, (status, at) in enumerate(
            [
                (Status.DRAFT, None),
                (Status.REVIEW, None),
                (Status.PUBLISHED, NOW + n * HOUR + HOUR),
                (Status.PUBLISHED, NOW - n * HOUR - HOUR),
            ]
        )
    )
    in_review = [article for article in articles if article.status == Status.REVIEW]
    ArticleEvent.objects.bulk_create(
        ArticleEvent(article=article, article_title=article.title, action="submitted", user=writer, at=NOW - DAY)
        for article in in_review
    )
    live = [article for article in articles if article.status == Status.PUBLISHED and article.publish_at < NOW]
    PendingChange.objects.bulk_create(
        PendingChange(article=article, fields={"title": "New"}, proposed_by=writer, based_on_version=1)
        for article in live
    )
    ImportRun.objects.bulk_create(
        ImportRun(source=f"run {n}", report={"failed": n}, started_by=editor) for n in range(count)
    )


@pytest.mark.parametrize("count", [3, 60])
@pytest.mark.parametrize(
    ("role", "queries"),
    [
        # Session, user, the user's and their groups' permissions; articles in review and changes waiting:
        # rows and a count each; scheduled and drafts: rows and a count each; published; import runs
        # (editors only); Django's "recent actions".
        ("writer", 14),
        ("editor", 15),
    ],
)
def test_the_dashboard_costs_the_same_with_3_articles_or_60(
    client, request, writer, editor, django_assert_num_queries, count, role, queries
):
    many(count, writer, editor)
    user = request.getfixturevalue(role)
    client.force_login(user)

    with time_machine.travel(NOW, tick=False), django_assert_num_queries(queries):
        response = client.get(reverse("admin:index"))

    dashboard = response.context["dashboard"]
    assert len(dashboard.waiting_for_review.rows) == min(2 * count, PANEL_ROWS)
    assert dashboard.scheduled_soon.total == min(count, 7 * 24)
    assert len(dashboard.recently_published.rows) == min(count, PANEL_ROWS)
