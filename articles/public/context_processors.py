from django.conf import settings
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from articles.public import queries as pages


def site(request):
    """Site name and the sections for the navigation: one query, only if a template asks.

    base.html draws its shell ({% shell %}) from these values only.
    """
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "language_code": settings.LANGUAGE_CODE,
        "year": timezone.localdate().year,  # the footer's copyright
        "nav_sections": SimpleLazyObject(lambda: pages.navigation_sections(current=_section_shown(request))),
        # What the reader searched for: the search page sets it, the header's box shows it.
        "query": "",
        # Set here so that pages without a preview pay no failed lookup (an exception each).
        "preview": False,
    }


def _section_shown(request) -> str | None:
    """The slug of the section whose page this is, if it is one: the navigation marks it."""
    match = request.resolver_match
    return match.kwargs.get("slug") if match and match.view_name == "articles:section" else None
