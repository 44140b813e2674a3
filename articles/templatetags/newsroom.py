from django import template

from articles.links import path_to
from articles.rendering import figure_html
from articles.renditions import CARD_RATIO, SIZES, picture_html
from articles.search import snippet_html

register = template.Library()
register.filter("snippet_html", snippet_html)


@register.simple_tag
def path(viewname, **kwargs):
    """{% path 'articles:feed' %}: {% url %} for public pages, memoised (articles/links.py)."""
    return path_to(viewname, **kwargs)


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
