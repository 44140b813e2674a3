from django.conf import settings
from django.utils.functional import SimpleLazyObject

from articles import pages


def site(request):
    """Site name and the sections for the navigation: one query, only if a template asks."""
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "language_code": settings.LANGUAGE_CODE,
        "nav_sections": SimpleLazyObject(pages.navigation_sections),
        # What the reader searched for: the search page sets it, the header's box shows it.
        "query": "",
    }
