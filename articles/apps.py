from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    # The admin's breadcrumbs read "Home › Newsroom › Articles", not "Home › Articles › Articles".
    verbose_name = "Newsroom"

    def ready(self):
        import reversion
        from django.conf import settings
        from django.db.models.signals import post_migrate
        from PIL import Image

        from articles.caching import invalidation  # noqa: F401 (connects the receivers that keep caches fresh)
        from articles.delivery import receivers  # noqa: F401 (webhooks and go-live jobs after editorial actions)
        from articles.images import renditions  # noqa: F401 (queues the renditions of newly stored pictures)
        from articles.models import Article, ArticleAuthor
        from articles.search.schema import ensure_sqlite_triggers

        # Pillow's own decompression-bomb limit guards every decode, Django's
        # ImageField validation included, not only our upload path.
        Image.MAX_IMAGE_PIXELS = settings.NEWSROOM_IMAGE_MAX_PIXELS

        # A table rebuild drops SQLite's search triggers.
        post_migrate.connect(ensure_sqlite_triggers, sender=self, dispatch_uid="newsroom-fts-triggers")

        # Every article save in a revision block (the admin, editorial/workflow.py)
        # keeps a serialised copy, keyword ids included. The admin's VersionAdmin
        # registers Article first (following its inlines' rows and, through
        # ArticleAdmin.reversion_register(), the authors); this is the registration
        # without the admin. Authors are followed because their order lives in the
        # ArticleAuthor rows, which Django's serialiser leaves out (revisions.reader_fields()).
        if not reversion.is_registered(Article):
            reversion.register(ArticleAuthor)
            # body_text is worked out from the body again when a revision is restored.
            reversion.register(Article, exclude=["body_text"], follow=["author_links"])
