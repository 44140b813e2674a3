"""The admin site: Django's, with the newsroom's dashboard as its home page."""

import functools

from django.contrib import admin
from django.core.exceptions import BadRequest

from articles.editorial.dashboard import dashboard_for


class NewsroomAdminSite(admin.AdminSite):
    # Extends Django's index template: the dashboard comes first, the list of apps stays below it.
    index_template = "admin/dashboard.html"

    def index(self, request, extra_context=None):
        # The one hook that gives the home page data of its own (a template alone cannot read it).
        context = {"dashboard": dashboard_for(request.user), **(extra_context or {})}
        return super().index(request, context)

    def admin_view(self, view, cacheable=False):
        """Every admin page refuses a NUL in its address or query string: no key, search term or filter
        has one, and PostgreSQL refuses it in a query (django-reversion's history page, the autocomplete,
        a list's search would answer 500). Form posts keep Django's own checks (a form error)."""
        guarded = super().admin_view(view, cacheable)

        @functools.wraps(view)
        def inner(request, *args, **kwargs):
            if "\x00" in request.path or any("\x00" in key + value for key, value in _query_items(request)):
                raise BadRequest("A NUL character is not allowed here.")
            return guarded(request, *args, **kwargs)

        return inner


def _query_items(request):
    for key, values in request.GET.lists():
        for value in values:
            yield key, value
