import re

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from articles.public.api import api
from newsroom.views import serve_media

admin.site.site_header = f"{settings.NEWSROOM_SITE_NAME} admin"
admin.site.site_title = settings.NEWSROOM_SITE_NAME
admin.site.index_title = "Newsroom"

# A database outage met outside a view is a plain 503 too (newsroom/views.py).
handler500 = "newsroom.views.server_error"
# A wrong address (or an unpublished article's) in the site's layout, with the latest stories.
handler404 = "articles.public.site_pages.page_not_found"

urlpatterns = [
    path("admin/", admin.site.urls),
    # The read-only JSON API (articles/public/api.py); its OpenAPI schema is /api/openapi.json.
    path("api/", api.urls),
    path("", include("articles.public.urls")),
]

if settings.MEDIA_URL.startswith("/"):
    # Uploaded pictures from the local disk; the view answers only while
    # NEWSROOM_SERVE_MEDIA is on (the default with local-disk storage).
    media_prefix = re.escape(settings.MEDIA_URL.lstrip("/"))
    urlpatterns.insert(0, re_path(rf"^{media_prefix}(?P<path>.+)$", serve_media, name="media"))
