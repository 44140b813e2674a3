"""Load the sample articles and pictures, so a newcomer's `make run` shows a site that looks like a news site.

Safe to run again and again (`make run` does, every time): rows that already
exist are left as they are. The data and the loading live in
articles/sample_content/; this is only the command-line front.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles import sample_content


class Command(BaseCommand):
    help = "Load the sample sections, pictures and articles (skips any that already exist)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even with DEBUG off. The sample articles are invented news and would be published.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Refusing to load invented sample articles with DEBUG off: they would be live on the site. "
                "Use --force if this really is a throwaway database."
            )
        verbosity = options["verbosity"]
        try:
            counts = sample_content.load(stdout=self.stdout if verbosity >= 2 else None)
        except (OSError, ValueError, KeyError) as exc:
            raise CommandError(f"Could not load the sample content: {exc}") from exc
        if verbosity >= 1:
            style = self.style.SUCCESS if counts["articles_created"] else self.style.NOTICE
            self.stdout.write(
                style(
                    f"Sample content: articles created {counts['articles_created']}, "
                    f"unchanged {counts['articles_unchanged']}; "
                    f"images created {counts['images_created']}, unchanged {counts['images_unchanged']}."
                )
            )
