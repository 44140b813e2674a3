"""Make the renditions (sizes and formats, see images/renditions.py) of stored pictures that lack them.

New pictures get theirs when they are stored; this is for pictures stored
before renditions existed, after a change to the sizes or formats (--all), or
after an editor moved a focal point or crop outside the admin. Pictures that
are only a remote address have none and are skipped. Safe to run again: a
picture that already has renditions is left alone unless --all.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from articles.images.decode import STORAGE_ERRORS
from articles.images.renditions import generate_renditions
from articles.models import Image


class Command(BaseCommand):
    help = "Make missing renditions of stored pictures (--all: remake every one)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Remake renditions that already exist too.")
        parser.add_argument("--dry-run", action="store_true", help="Only count the pictures that would be done.")

    def handle(self, *args, **options):
        images = Image.objects.exclude(file="").order_by("pk")
        if not options["all"]:
            images = images.filter(renditions={})
        counts = {"made": 0, "failed": 0}
        for image in images.iterator(chunk_size=200):
            if options["dry_run"]:
                counts["made"] += 1
                continue
            try:
                made = generate_renditions(image)
            except (ValidationError, *STORAGE_ERRORS) as error:
                counts["failed"] += 1
                reason = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                self.stderr.write(self.style.ERROR(f"Image {image.pk} ({image.file.name}): {reason}"))
                continue
            counts["made"] += 1
            if options["verbosity"] >= 2:
                self.stdout.write(f"Image {image.pk}: {len(made)} renditions")
        if options["verbosity"] >= 1:
            verb = "would make" if options["dry_run"] else "made"
            style = self.style.ERROR if counts["failed"] else self.style.SUCCESS
            self.stdout.write(style(f"Renditions {verb} for {counts['made']} picture(s); {counts['failed']} failed."))
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} picture(s) could not be done; see above.")
