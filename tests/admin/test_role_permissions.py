"""What each role reaches in the admin, page by page (docs/editorial.md, "Who can do what").

PAGES is the design: every admin address, and what a Writer and an Editor get there. A
change of permissions shows as a change of this table, and a new admin page without a row
fails test_every_admin_page_has_a_row.
"""

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.contrib.flatpages.models import FlatPage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import CharField, TextField
from django.urls import URLPattern, URLResolver, reverse
from django_tasks_db.models import DBTaskResult
from reversion.models import Version

from articles.documents.library import store_document
from articles.editorial import pending, workflow
from articles.models import (
    Article,
    ArticleEvent,
    Correction,
    ImportRun,
    PendingChange,
    Redirect,
    Webhook,
    WebhookDelivery,
)
from tests.factories import make_article, make_author, make_image, make_keyword, make_section

pytestmark = pytest.mark.django_db

# (page, Writer, Editor). A page is an admin URL name, or "name:app" for the app index.
# 302: login (already in), view on site, the describe step with nothing staged (back to step one).
# 404: Django's app index for an app the user may see nothing of; a staged picture not theirs. 405: GET where only POST is meant.
PAGES = [
    ("index", 200, 200),
    ("login", 302, 302),
    ("logout", 405, 405),
    ("password_change", 200, 200),
    ("password_change_done", 200, 200),
    ("autocomplete", 200, 200),
    ("jsi18n", 200, 200),
    ("view_on_site", 302, 302),
    ("app_list:articles", 200, 200),
    ("app_list:auth", 404, 404),
    ("app_list:axes", 404, 404),
    ("app_list:django_tasks_database", 404, 404),
    # Articles: writers write and submit; editors also delete, publish and recover.
    ("articles_article_changelist", 200, 200),
    ("articles_article_add", 200, 200),
    ("articles_article_change", 200, 200),
    ("articles_article_history", 200, 200),
    ("articles_article_delete", 403, 200),
    ("articles_article_preview", 200, 200),
    ("articles_article_compare", 200, 200),
    ("articles_article_revision", 200, 200),
    ("articles_article_recoverlist", 403, 200),
    ("articles_article_recover", 403, 200),
    # A change to a published article: both see it; only editors publish or return it (POST only).
    # Share links are made and revoked with a POST from the article's form.
    ("articles_article_share", 405, 405),
    ("articles_article_share_revoke", 405, 405),
    ("articles_article_pending_preview", 200, 200),
    ("articles_article_pending_compare", 200, 200),
    ("articles_article_pending_publish", 405, 405),
    ("articles_article_pending_return", 405, 405),
    # Imports: writers import (as drafts) and review; the log of every run is the editors'.
    ("articles_article_import", 200, 200),
    ("articles_article_import_review", 200, 200),
    # A run's page and progress: its starter's, and the editors' (who read every run); the run here is an editor's.
    ("articles_article_import_run", 403, 200),
    ("articles_article_import_progress", 403, 200),
    ("articles_article_import_for_real", 405, 405),
    ("articles_article_import_fetch_pictures", 405, 405),
    ("articles_importrun_changelist", 403, 200),
    ("articles_importrun_add", 403, 403),
    ("articles_importrun_change", 403, 200),
    ("articles_importrun_history", 403, 200),
    ("articles_importrun_delete", 403, 403),
    # Pictures: both upload and correct them; editors delete.
    ("articles_image_changelist", 200, 200),
    ("articles_image_add", 200, 200),
    ("articles_image_change", 200, 200),
    ("articles_image_history", 200, 200),
    ("articles_image_delete", 403, 200),
    ("articles_image_upload", 405, 405),
    ("articles_image_upload_many", 200, 200),
    ("articles_image_describe", 302, 302),
    ("articles_image_summary", 200, 200),  # what the picture chooser shows of the picture picked
    ("articles_image_staged", 404, 404),  # nothing of theirs is waiting to be described
    # Documents (the Link dialog's uploads): both upload and retitle them; editors delete.
    ("articles_document_changelist", 200, 200),
    ("articles_document_add", 200, 200),
    ("articles_document_change", 200, 200),
    ("articles_document_history", 200, 200),
    ("articles_document_delete", 403, 200),
    ("articles_document_upload", 405, 405),
    # The audit trail: read by both, written by nobody.
    ("articles_articleevent_changelist", 200, 200),
    ("articles_articleevent_add", 403, 403),
    ("articles_articleevent_change", 200, 200),
    ("articles_articleevent_history", 200, 200),
    ("articles_articleevent_delete", 403, 403),
    # Keywords: writers add and read them; sections: writers read them. Editors keep both.
    ("articles_keyword_changelist", 200, 200),
    ("articles_keyword_add", 200, 200),
    ("articles_keyword_change", 200, 200),
    ("articles_keyword_history", 200, 200),
    ("articles_keyword_delete", 403, 200),
    ("articles_section_changelist", 200, 200),
    ("articles_section_add", 403, 200),
    ("articles_section_change", 200, 200),
    ("articles_section_history", 200, 200),
    ("articles_section_delete", 403, 200),
    # Corrections and updates: writers read them; editors publish, amend and remove them (each recorded).
    ("articles_correction_changelist", 200, 200),
    ("articles_correction_add", 403, 200),
    ("articles_correction_change", 200, 200),
    ("articles_correction_history", 200, 200),
    ("articles_correction_delete", 403, 200),
    # Authors: writers add and read them (as keywords); editors keep them.
    ("articles_author_changelist", 200, 200),
    ("articles_author_add", 200, 200),
    ("articles_author_change", 200, 200),
    ("articles_author_history", 200, 200),
    ("articles_author_delete", 403, 200),
    # Redirects decide where old addresses go: the editors'.
    ("articles_redirect_changelist", 403, 200),
    ("articles_redirect_add", 403, 200),
    ("articles_redirect_change", 403, 200),
    ("articles_redirect_history", 403, 200),
    ("articles_redirect_delete", 403, 200),
    # Footer pages (Django's flatpages): the editors'. The one Site has no admin page.
    ("app_list:flatpages", 404, 200),
    ("flatpages_flatpage_changelist", 403, 200),
    ("flatpages_flatpage_add", 403, 200),
    ("flatpages_flatpage_change", 403, 200),
    ("flatpages_flatpage_history", 403, 200),
    ("flatpages_flatpage_delete", 403, 200),
    # Outgoing webhooks (their secrets) and their delivery log: superusers only.
    *(
        (f"articles_{model}_{page}", 403, 403)
        for model in ["webhook", "webhookdelivery"]
        for page in ["changelist", "add", "change", "history", "delete"]
    ),
    # Users, groups, login throttling and the background jobs' table: superusers only.
    *(
        (f"{model}_{page}", 403, 403)
        for model in [
            "auth_user",
            "auth_group",
            "axes_accessattempt",
            "axes_accesslog",
            "axes_accessfailurelog",
            "django_tasks_database_dbtaskresult",
        ]
        for page in ["changelist", "add", "change", "history", "delete"]
    ),
    ("auth_user_password_change", 403, 403),
]

ROLES = {"writer": 1, "editor": 2}  # the role's column in PAGES


@pytest.fixture
def site(writer, editor):
    """One of everything the admin lists, so change, history and delete pages have an object."""
    picture = make_image()
    body = f'<p>Boats.</p><figure class="image"><img src="{picture.url}" alt="Boats"></figure>'
    article = make_article(  # the writer's: writers see their own unpublished work, and live articles
        title="Harbour reopens", status=Article.Status.DRAFT, body=body, lead_image=picture, created_by=writer
    )
    workflow.save(article=article, user=writer)
    article.title = "Harbour reopens at last"
    workflow.submit(article=article, user=writer)
    live = make_article(title="Ferry returns")
    live.title = "Ferry returns on Monday"
    pending.propose(article=live, keyword_ids=[], user=writer)
    gone = make_article(title="Deleted by mistake", status=Article.Status.DRAFT)
    workflow.save(article=gone, user=editor)
    workflow.delete(article=gone, user=editor)
    access = {"username": "someone", "ip_address": "203.0.113.7", "user_agent": "test", "http_accept": "*/*"}
    objects = [
        article,
        make_image(color="orange"),  # not in use, so its delete page answers
        make_keyword(),
        make_section(),
        make_author(),
        Redirect.objects.create(old_path="/blog/harbour", article=article),
        FlatPage.objects.create(url="/pages/about/", title="About", content="<p>Us.</p>"),
        Correction.objects.create(article=live, note="The ferry runs on Mondays, not Sundays."),
        ImportRun.objects.create(source="posts/", report={"created": 1}, started_by=editor),
        store_document(upload=SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes"), user=editor),
        ArticleEvent.objects.filter(article=article).first(),
        editor,
        Group.objects.get(name="Editors"),
        AccessAttempt.objects.create(**access, get_data="", post_data="", failures_since_start=1),
        AccessLog.objects.create(**access),
        AccessFailureLog.objects.create(**access),
        hook := Webhook.objects.create(name="Partner", url="https://1.1.1.1/hook", events=["published"]),
        WebhookDelivery.objects.create(webhook=hook, event="published", article=live, body="{}"),
        DBTaskResult.objects.create(task_path="tests.jobs.sample_jobs.add", args_kwargs={"args": [1, 2], "kwargs": {}}),
    ]
    return {
        "objects": {type(obj)._meta.label_lower.replace(".", "_"): obj for obj in objects},
        "article": article,
        "live": live,
        "versions": list(Version.objects.get_for_object(article)),
        "deleted": Version.objects.get_deleted(Article).get(),
    }


def address(page: str, site) -> str:
    name, _, app = page.partition(":")
    article = site["article"]
    special = {
        "app_list": lambda: reverse("admin:app_list", args=[app]),
        "autocomplete": lambda: reverse(
            "admin:autocomplete"
        ) + "?app_label=articles&model_name=article&field_name=keywords&term=",
        "view_on_site": lambda: reverse(
            "admin:view_on_site", args=[ContentType.objects.get_for_model(Article).pk, article.pk]
        ),
        "articles_article_preview": lambda: reverse(f"admin:{name}", args=[article.pk]),
        "articles_article_compare": lambda: reverse(f"admin:{name}", args=[article.pk])
        + "?" + "&".join(f"v={version.pk}" for version in site["versions"][:2]),
        "articles_article_revision": lambda: reverse(f"admin:{name}", args=[article.pk, site["versions"][0].pk]),
        **{
            f"articles_article_pending_{page}": lambda page=page: reverse(
                f"admin:articles_article_pending_{page}", args=[site["live"].pk]
            )
            for page in ("preview", "compare", "publish", "return")
        },
        "articles_image_staged": lambda: reverse(f"admin:{name}", args=["0" * 32]),
        "articles_article_share": lambda: reverse(f"admin:{name}", args=[article.pk]),
        "articles_image_summary": lambda: reverse(f"admin:{name}") + f"?pk={article.lead_image_id}",
        "articles_article_share_revoke": lambda: reverse(f"admin:{name}", args=[article.pk, 1]),
        **{
            f"articles_article_import_{page}": lambda page=page: reverse(
                f"admin:articles_article_import_{page}", args=[site["objects"]["articles_importrun"].pk]
            )
            for page in ("run", "progress", "for_real")
        },
        "articles_article_recover": lambda: reverse(f"admin:{name}", args=[site["deleted"].pk]),
        "auth_user_password_change": lambda: reverse(f"admin:{name}", args=[site["objects"]["auth_user"].pk]),
    }  # fmt: skip
    if name in special:
        return special[name]()
    model, _, kind = name.rpartition("_")
    if kind in ("change", "history", "delete") and model in site["objects"]:
        return reverse(f"admin:{name}", args=[site["objects"][model].pk])
    return reverse(f"admin:{name}")


def admin_url_names(patterns=None) -> set[str]:
    names = set()
    for pattern in admin.site.get_urls() if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            names |= admin_url_names(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(pattern.name)
    return names


def test_every_admin_page_has_a_row():
    assert {page.partition(":")[0] for page, *_ in PAGES} == admin_url_names()
    assert len({page for page, *_ in PAGES}) == len(PAGES)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_designed_answer_on_every_admin_page(client, request, site, role):
    client.force_login(request.getfixturevalue(role))
    expected = {row[0]: row[ROLES[role]] for row in PAGES}
    got = {row[0]: client.get(address(row[0], site)).status_code for row in PAGES}
    assert got == expected


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def admin_links(page_url: str, html: str) -> set[str]:
    parser = Links()
    parser.feed(html)
    links = {urljoin(page_url, href) for href in parser.hrefs}
    # Templates of the related-object popups carry a placeholder, not an address.
    return {link for link in links if urlsplit(link).path.startswith("/admin/") and "__fk__" not in link}


@pytest.mark.parametrize("role", ROLES)
def test_no_link_a_role_is_shown_answers_403(client, request, site, role):
    """Every page a role may open, and every admin link on it: nothing behind a visible link is refused."""
    client.force_login(request.getfixturevalue(role))
    pages = [address(row[0], site) for row in PAGES if row[ROLES[role]] == 200]
    links: dict[str, str] = {}
    for page in pages:
        for link in admin_links(page, client.get(page).content.decode()):
            links.setdefault(link, page)
    answers = {link: client.get(link).status_code for link in links}
    # 404 is left out: the recover page links to the preview of an article not recovered yet.
    refused = {link: f"{status}, linked from {links[link]}" for link, status in answers.items() if status == 403}
    assert refused == {}
    assert len(links) > 50  # the crawl did find the pages' links


def test_editors_see_the_figure_list_and_names_not_user_links(client, site, editor):
    client.force_login(editor)
    article, run = site["article"], site["objects"]["articles_importrun"]
    change = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert 'id="figures-group"' in change  # the inline figures, which need view_articlefigure
    assert "<p>writer</p>" in change  # who submitted it, in the workflow history
    run_page = client.get(reverse("admin:articles_importrun_change", args=[run.pk])).content.decode()
    assert '<div class="readonly">editor</div>' in run_page
    for html in (change, run_page):
        assert "/admin/auth/user/" not in html


MARKERS = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>')
# Fields an address or a lookup is built from, or that only take a fixed value; and the body,
# stored HTML, which the sanitizer cleans on every save (tests/content/test_sanitizer.py).
NOT_TEXT = {"slug", "password", "username", "old_path", "file", "checksum", "status", "kind", "action", "body"}


def taint(obj) -> None:
    """Both markers in every text field of obj, stored as they are (not through any form)."""
    text = f"{MARKERS[0]}{MARKERS[1]}{obj.pk}"  # the pk: unique fields stay unique
    values = {
        field.name: text[-field.max_length :] if field.max_length and len(text) > field.max_length else text
        for field in obj._meta.concrete_fields
        if isinstance(field, CharField | TextField) and not field.choices and field.name not in NOT_TEXT
    }
    if values:
        type(obj)._default_manager.filter(pk=obj.pk).update(**values)


def test_no_admin_page_shows_hostile_text_unescaped(client, site, editor):
    """The admin's CSP allows inline script (CKEditor 4 needs it): escaping is the only defence."""
    for obj in [*site["objects"].values(), site["article"], site["live"]]:
        taint(obj)
    PendingChange.objects.filter(article=site["live"]).update(fields={"title": MARKERS[0] + MARKERS[1]})
    client.force_login(editor)
    shown = [row[0] for row in PAGES if row[ROLES["editor"]] == 200]
    escaped_on = set()
    for page in shown:
        response = client.get(address(page, site))
        if not response["Content-Type"].startswith("text/html"):
            continue  # JSON (the autocomplete): Select2 draws it as text
        html = response.content.decode()
        for marker in ("<script>alert(1)", "<img src=x onerror"):
            assert marker not in html, f"{page}: {marker}"
        if "&lt;script&gt;alert(1)" in html:
            escaped_on.add(page)
    # The markers were there to be shown: the lists and forms show them, escaped.
    assert {"articles_article_changelist", "articles_article_change", "articles_keyword_change"} <= escaped_on
