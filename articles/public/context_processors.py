from django.conf import settings
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from articles.caching import generation
from articles.public.queries import navigation_sections
from newsroom.brand import is_url


def site(request):
    """What every public page's layout (base.html) shows or keys its cached blocks on.

    Lazy where it costs: the sections (one query) only when the navigation has to be
    made, the content generation only when a cached block asks for it.
    """
    current_section = _section_shown(request)
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "language_code": settings.LANGUAGE_CODE,
        "year": timezone.localdate().year,  # the footer's copyright
        "current_section": current_section,
        "nav_sections": SimpleLazyObject(lambda: navigation_sections(current=current_section)),
        "freshness": SimpleLazyObject(lambda: generation.for_request(request)),
        # Cached blocks hold paths: another URLconf or script prefix makes other paths.
        "url_scope": f"{get_urlconf() or ''}|{get_script_prefix()}",
        # What the reader searched for: the search page sets it, the header's box shows it.
        "query": "",
        # Set here so that pages without a preview pay no failed lookup (an exception each).
        "preview": False,
        **brand(),
    }


def brand() -> dict:
    """The brand every reader page's layout shows (newsroom/brand.py): no query, so the error
    pages rendered without a request (500, 503) use it too."""
    logo = settings.NEWSROOM_LOGO
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "site_tagline": settings.NEWSROOM_SITE_TAGLINE,
        "logo_url": logo if not logo or is_url(logo) else static(logo),
        # Checked colours only (no character autoescaping changes), so the page carries the very
        # text whose hash the policy allows.
        "brand_css": settings.NEWSROOM_BRAND_CSS,
        "theme_colour": settings.NEWSROOM_THEME_COLOUR,
        "footer_links": settings.NEWSROOM_FOOTER_LINKS,
    }


def _section_shown(request) -> str | None:
    """The slug of the section whose page this is, if it is one: the navigation marks it."""
    match = request.resolver_match
    return match.kwargs.get("slug") if match and match.view_name == "articles:section" else None
