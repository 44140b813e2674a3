"""Write every article back out as front-matter files (a backup and an exit door).

The files are what import_legacy reads: `import_legacy DIR --images-dir DIR`
rebuilds the same articles, pictures and captions.
"""

from pathlib import Path

from django.core.management.base import BaseCommand

from articles.importing.export import export_articles


class Command(BaseCommand):
    help = "Export all articles (published, scheduled and drafts) as front-matter files with their pictures."

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
