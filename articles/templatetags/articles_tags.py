"""{% load articles_tags %}: the pictures, figures and bodies of articles, times and search snippets, for templates."""

from django import template
from django.utils import dateformat, timezone
from django.utils.html import format_html

from articles.images.html import SIZES, figure_html, picture_html, render_body
from articles.images.renditions import CARD_RATIO
from articles.search import snippet_html

register = template.Library()
register.filter("snippet_html", snippet_html)


@register.simple_tag
def reader_time(value, date_only=False):
    """{% reader_time article.publish_at %}: every time a reader sees, as a <time> element.

    Shown in the newsroom's zone (TIME_ZONE) with its abbreviation, "5 July 2026, 13:00 BST",
    because a bare "13:00" is ambiguous to readers elsewhere; date_only: "5 July 2026", the
    local day. The datetime attribute is ISO 8601 with the zone's offset, like the JSON-LD.
    """
    if value is None:
        return ""
    local = timezone.localtime(value)
    if date_only:
        return format_html('<time datetime="{}">{}</time>', local.isoformat(), dateformat.format(local, "j F Y"))
    zone = local.tzname() or ""
    if zone[:1] in ("+", "-"):  # zones without an abbreviation are named by their offset: "-03"
        zone = f"UTC{zone}"
    shown = f"{dateformat.format(local, 'j F Y, H:i')} {zone}".rstrip()
    return format_html('<time datetime="{}">{}</time>', local.isoformat(), shown)


@register.simple_tag
def article_body(article):
    """{% article_body article %}: the body with its figures drawn from their rows (figures prefetched)."""
    return render_body(article)


@register.simple_tag
def figure(image, caption="", lead=False):
    """{% figure article.lead_image article.lead_caption lead=True %}: the shared figure markup."""
    if image is None:
        return ""
    return figure_html(image, caption, lead=lead)


@register.simple_tag
def card_picture(image, featured=False, place="card"):
    """{% card_picture article.lead_image featured=featured %}: a card's 3:2 thumbnail.

    Decorative (alt=""): the card's headline, right after it, links to the
    same article. The featured card is the top of the home page, so it loads
    at once with high priority; the rest load lazily.
    """
    if image is None:
        return ""
    sizes = SIZES["card-featured" if featured else place]
    return picture_html(image, alt="", sizes=sizes, ratio=CARD_RATIO, priority=bool(featured))
