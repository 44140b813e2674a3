"""Footer pages (About, Contact, Corrections policy, Privacy) are Django's own flatpages; their one rule here.

Their content is HTML an editor writes in the same editor as article bodies, so it passes the
same sanitizer on every save, whichever path saves it (the admin, the sample content, a shell).
FlatPage is Django's model, so the rule is a pre_save receiver rather than a save() of ours.
"""

from django.contrib.flatpages.models import FlatPage
from django.db.models.signals import pre_save
from django.dispatch import receiver

from articles.content.sanitizer import sanitize_html

# Where footer pages live: their stored url starts with this, and articles/public/urls.py serves it.
SITE_PAGES_PREFIX = "/pages/"


@receiver(pre_save, sender=FlatPage, dispatch_uid="newsroom-sanitize-flatpage")
def sanitize_site_page(sender, instance, **kwargs):
    # Raw saves (loaddata) too: sanitising sanitised HTML changes nothing, and a fixture may be old.
    instance.content = sanitize_html(instance.content)
