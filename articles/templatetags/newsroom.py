from django import template

from articles.rendering import figure_html

register = template.Library()


@register.simple_tag
def figure(image, caption="", lead=False):
    """{% figure article.lead_image article.lead_caption lead=True %}: the shared figure markup."""
    if image is None:
        return ""
    return figure_html(image, caption, lead=lead)
