from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf

from articles.caching.reverse import path_to
from articles.images.html import SIZES, figure_html, picture_html, render_body
from articles.images.renditions import CARD_RATIO
from articles.search import snippet_html

register = template.Library()
register.filter("snippet_html", snippet_html)


@register.simple_tag
def path(viewname, **kwargs):
    """{% path 'articles:feed' %}: {% url %} for public pages, memoised (articles/links.py)."""
    return path_to(viewname, **kwargs)


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


# --- {% shell %}: the page shell drawn once per process -----------------------------------------

_SHELLS: dict[tuple, str] = {}
_MAX_SHELLS = 256  # more keys than a site has sections and site names: start again, never grow


@receiver(setting_changed)
def _forget_shells(**kwargs):
    _SHELLS.clear()


def _frozen(value):
    """A hashable copy of value (never a lazy object, which would keep its request alive)."""
    if isinstance(value, dict):
        return tuple(sorted((key, _frozen(item)) for key, item in value.items()))
    if isinstance(value, list | tuple):
        items = tuple(value)
        try:
            hash(items)
        except TypeError:
            return tuple(_frozen(item) for item in items)
        return items
    return value


class ShellNode(template.Node):
    # Not searched for {% block %}s ({% extends %} walks the parent's nodes on every
    # render): a block inside would be drawn once for every page that fills it.
    child_nodelists = ()

    def __init__(self, name: str, varies_on: list, nodelist):
        self.name, self.varies_on, self.nodelist = name, varies_on, nodelist

    def render(self, context):
        if settings.DEBUG:  # templates edited during development show at once
            return self.nodelist.render(context)
        varies = tuple(_frozen(expression.resolve(context)) for expression in self.varies_on)
        key = (self.name, varies, get_urlconf(), get_script_prefix())
        html = _SHELLS.get(key)
        if html is None:
            html = self.nodelist.render(context)
            if len(_SHELLS) >= _MAX_SHELLS:
                _SHELLS.clear()
            _SHELLS[key] = html
        return html


@register.tag
def shell(parser, token):
    """{% shell "header" site_name nav_sections %}...{% endshell %}: the same on every page
    for the same values, so drawn once per process for each.

    Everything inside may depend only on the values named (and on the URLconf,
    script prefix and settings, which are part of the key or clear it); a
    variable used inside but not named would be drawn once and shown to everyone.
    """
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% shell %} needs a name")
    nodelist = parser.parse(("endshell",))
    parser.delete_first_token()
    return ShellNode(bits[1], [parser.compile_filter(bit) for bit in bits[2:]], nodelist)
