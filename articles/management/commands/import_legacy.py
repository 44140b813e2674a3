"""Import posts from a legacy static site (front matter + HTML or Markdown).

Publishers moving to Newsroom bring thousands of such files. Each file is
imported in its own transaction and reported on; running the same import
again changes nothing. The work is done by articles.importing, which the
admin's import page uses too.
"""

import contextlib
import json
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.importing import ImportOptions, import_paths


class Command(BaseCommand):
    help = "Import legacy front-matter files (.md, .markdown, .txt, .html) as articles, images and captions."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help="Files or folders (walked recursively).")
        parser.add_argument("--dry-run", action="store_true", help="Check everything; write nothing but the report.")
        parser.add_argument("--report", type=Path, help="Write a JSON report to this file.")
        parser.add_argument("--images-dir", type=Path, help="Folder that site-relative image paths point into.")
        parser.add_argument("--fetch-images", action="store_true", help="Download remote images into media storage.")
        parser.add_argument("--legacy-base-url", default="", help="Make site-relative links absolute on this site.")
        parser.add_argument(
            "--legacy-url-pattern", default="", help="Old address of a post, e.g. 'blog/{filename}' or '{path}'."
        )
        parser.add_argument("--overwrite", action="store_true", help="Replace articles edited since their import.")
        parser.add_argument(
            "--workers",
            type=int,
            help="Processes that parse and clean files ahead (default: NEWSROOM_IMPORT_WORKERS; 0: none).",
        )

    def handle(self, *args, paths, **options):
        missing = [str(path) for path in paths if not path.exists()]
        if missing:
            raise CommandError(f"No such file or folder: {', '.join(missing)}")
        if options["images_dir"] and not options["images_dir"].is_dir():
            raise CommandError(f"--images-dir {options['images_dir']} is not a folder")
        import_options = ImportOptions(
            dry_run=options["dry_run"],
            images_dir=options["images_dir"],
            fetch_images=options["fetch_images"],
            legacy_base_url=options["legacy_base_url"],
            legacy_url_pattern=options["legacy_url_pattern"],
            overwrite=options["overwrite"],
            workers=settings.NEWSROOM_IMPORT_WORKERS if options["workers"] is None else max(options["workers"], 0),
        )
        verbosity = options["verbosity"]
        # Per-file entries go to disk as they come, so a run of any size keeps flat memory.
        with contextlib.ExitStack() as stack:
            entries = None
            if options["report"]:
                entries = stack.enter_context(tempfile.TemporaryFile("w+", encoding="utf-8"))
            quiet = not sys.stderr.isatty() or verbosity == 0
            bar = stack.enter_context(tqdm(unit="file", disable=quiet, file=sys.stderr))

            def progress(result):
                bar.update()
                if entries:
                    entries.write(json.dumps(result.as_dict(), ensure_ascii=False) + "\n")
                if result.status == "failed" and verbosity:
                    bar.write(self.style.ERROR(f"{result.path}: {result.error}"), file=self.stderr._out)
                elif result.status == "conflict" and verbosity:
                    bar.write(self.style.WARNING(f"{result.path}: {result.error}"), file=self.stderr._out)
                elif verbosity > 1:
                    bar.write(f"{result.status:9} {result.path} {result.article_url or ''}", file=self.stdout._out)

            report = import_paths(paths, import_options, progress=progress, keep_files=False)
            if entries:
                write_report(options["report"], report.counts, entries)
        counts = report.counts
        summary = ", ".join(f"{name} {count}" for name, count in counts.items())
        prefix = "Dry run, nothing written: " if options["dry_run"] else ""
        if verbosity:
            style = self.style.ERROR if report.failed else self.style.SUCCESS
            self.stdout.write(style(f"{prefix}{summary}."))
        if report.failed:
            sys.exit(1)


def write_report(path: Path, counts: dict[str, int], entries) -> None:
    """{counts..., "files": [...]} written from the spooled per-file entries."""
    entries.seek(0)
    with path.open("w", encoding="utf-8") as out:
        out.write(json.dumps(counts, indent=2)[:-2] + ',\n  "files": [\n')
        for n, line in enumerate(entries):
            out.write(("" if n == 0 else ",\n") + "    " + line.rstrip("\n"))
        out.write("\n  ]\n}\n")
