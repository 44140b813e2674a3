from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"

    def ready(self):
        from django.conf import settings
        from PIL import Image

        # Pillow's own decompression-bomb limit guards every decode, Django's
        # ImageField validation included, not only our upload path.
        Image.MAX_IMAGE_PIXELS = settings.NEWSROOM_IMAGE_MAX_PIXELS
