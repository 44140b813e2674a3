"""Write every article out as front-matter files: a portable copy of the articles, not a backup.

The files are what import_legacy reads: `import_legacy DIR --images-dir DIR`
rebuilds the same articles, pictures, captions and picture credits. What the
format cannot carry (revisions, the events log, redirects that lead to an address
rather than an article, pictures no article uses, users) is lost; docs/importing.md lists it.
"""

from pathlib import Path

from django.core.management.base import BaseCommand

from articles.importing.export import export_articles


class Command(BaseCommand):
    help = (
        "Export every article (published, scheduled, in review and drafts) as front-matter files with "
        "the pictures they use: a portable copy of the articles, not a backup. Revisions, the events log, "
        "redirects that lead to an address rather than an article, and pictures no article uses are not exported."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory, **options):
        result = export_articles(directory)
        if options["verbosity"]:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Exported {result.articles} article(s) and {result.pictures} picture(s) to {directory}."
                )
            )
