"""The admin site: Django's, with the newsroom's dashboard as its home page."""

from django.contrib import admin

from articles.editorial.dashboard import dashboard_for


class NewsroomAdminSite(admin.AdminSite):
    # Extends Django's index template: the dashboard comes first, the list of apps stays below it.
    index_template = "admin/dashboard.html"

    def index(self, request, extra_context=None):
        # The one hook that gives the home page data of its own (a template alone cannot read it).
        context = {"dashboard": dashboard_for(request.user), **(extra_context or {})}
        return super().index(request, context)
