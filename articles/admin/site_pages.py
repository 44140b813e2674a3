"""Footer pages (About, Contact, Corrections policy, Privacy) in the admin: Django's flatpages admin,
with the article body's editor, addresses kept under /pages/, and the one site chosen for the editor."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.flatpages.admin import FlatPageAdmin
from django.contrib.flatpages.forms import FlatpageForm
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site

from articles.admin.forms import EditorWidget
from articles.models import SITE_PAGES_PREFIX


class SitePageForm(FlatpageForm):
    class Meta(FlatpageForm.Meta):
        widgets = {"content": EditorWidget()}
        help_texts = {
            "title": "The page's heading, and its name in browser tabs and search results.",
            "content": "Cleaned like an article body when saved: what the article editor allows stays.",
            "sites": "Leave the site chosen: a page on no site is not shown.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["url"].help_text = (
            f"The page's address: {SITE_PAGES_PREFIX}about/, {SITE_PAGES_PREFIX}corrections-policy/... "
            "The footer links come from NEWSROOM_FOOTER_LINKS (docs/configuration.md)."
        )
        self.fields["url"].initial = SITE_PAGES_PREFIX
        self.fields["sites"].initial = [settings.SITE_ID]

    def clean_url(self):
        url = super().clean_url()
        if not url.startswith(SITE_PAGES_PREFIX) or url == SITE_PAGES_PREFIX:
            raise forms.ValidationError(f"Footer pages live under {SITE_PAGES_PREFIX}, e.g. {SITE_PAGES_PREFIX}about/.")
        return url


admin.site.unregister(FlatPage)
admin.site.unregister(Site)  # one site, made by the migrations; its domain is not used (docs/reader-site.md)


@admin.register(FlatPage)
class SitePageAdmin(FlatPageAdmin):
    form = SitePageForm
    # Not Django's "advanced options": footer pages are for everyone (a page behind a login would
    # send readers to a login page they have no account for), in the one layout of the site.
    fieldsets = [(None, {"fields": ["url", "title", "content", "sites"]})]
    list_display = ["title", "url"]
    list_filter = []
