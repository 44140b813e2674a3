"""Import posts from a legacy static site (front matter + HTML or Markdown).

Publishers moving to Newsroom bring thousands of such files. Each file is
imported in its own transaction and reported on; running the same import
again changes nothing. The work is done by articles.importing, which the
admin's import page uses too.
"""

import contextlib
import json
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.importing import ImportOptions, import_paths
from articles.importing.addresses import LegacyUrlPattern
from articles.importing.frontmatter import parse_key_map
from articles.importing.options import check_source_name, shown_path
from articles.importing.review import record_run, start_run


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
            "--legacy-url-pattern",
            default="",
            help="Old address of a post, e.g. '/blog/{year}/{slug}' or Jekyll's '/:year/:month/:title.html' "
            "(default: the site's own permalink setting, else '{path}'; see docs/importing.md).",
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="THEIRS=OURS",
            help="Read a site's own front-matter key as one of ours, e.g. --map newstitle=title (repeatable).",
        )
        parser.add_argument(
            "--source",
            default="",
            help="The old site's name: articles are known by it and their path in the site, so two sites' "
            "files never replace each other (default: the host in the site's config, else its folder's name).",
        )
        parser.add_argument("--strict", action="store_true", help="A file with any warning fails.")
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
        if options["report"]:
            try:  # a report that cannot be written is found out now, not after the whole import
                options["report"].open("a", encoding="utf-8").close()
            except OSError as error:
                raise CommandError(f"--report {options['report']}: {error.strerror}") from None
        try:
            key_map = parse_key_map(",".join(options["map"]))
            source_site = check_source_name(options["source"]) if options["source"] else ""
            LegacyUrlPattern.parse(options["legacy_url_pattern"] or settings.NEWSROOM_LEGACY_URL_PATTERN)
        except ValueError as error:  # PatternError is one
            raise CommandError(str(error)) from None
        import_options = ImportOptions(
            dry_run=options["dry_run"],
            images_dir=options["images_dir"],
            fetch_images=options["fetch_images"],
            legacy_base_url=options["legacy_base_url"],
            legacy_url_pattern=options["legacy_url_pattern"],
            overwrite=options["overwrite"],
            key_map=key_map,
            strict=options["strict"],
            source_site=source_site,
            workers=settings.NEWSROOM_IMPORT_WORKERS if options["workers"] is None else max(options["workers"], 0),
        )
        verbosity = options["verbosity"]
        source = ", ".join(shown_path(path) for path in paths)
        run = start_run(source=source, dry_run=options["dry_run"])
        # Per-file entries go to disk as they come, so a run of any size keeps flat memory, and a
        # run that is stopped leaves them in REPORT.partial, a JSON line per file done.
        partial = options["report"] and options["report"].with_name(options["report"].name + ".partial")
        with contextlib.ExitStack() as stack:
            entries = None
            if partial:
                entries = stack.enter_context(partial.open("w+", encoding="utf-8"))
            quiet = not sys.stderr.isatty() or verbosity == 0
            bar = stack.enter_context(tqdm(unit="file", disable=quiet, file=sys.stderr))

            def progress(result):
                bar.update()
                if entries:
                    entries.write(json.dumps(result.as_dict(), ensure_ascii=False) + "\n")
                    entries.flush()
                if result.status == "failed" and verbosity:
                    bar.write(self.style.ERROR(f"{result.path}: {result.error}"), file=self.stderr._out)
                elif result.status == "conflict" and verbosity:
                    bar.write(self.style.WARNING(f"{result.path}: {result.error}"), file=self.stderr._out)
                elif verbosity > 1:
                    bar.write(f"{result.status:9} {result.path} {result.article_url or ''}", file=self.stdout._out)

            report = import_paths(paths, import_options, progress=progress, keep_files=False)
            if entries:
                header = {
                    **report.counts,
                    "with_warnings": report.with_warnings,
                    "sources": report.sources,
                    "notes": report.notes,
                }
                write_report(options["report"], header, entries)
        if partial:
            partial.unlink()
        record_run(report, source=source, dry_run=options["dry_run"], run=run)
        if verbosity:
            for note in report.notes:
                self.stderr.write(self.style.WARNING(note))
            if report.sources:  # what a later run must be named to update these articles
                self.stdout.write(f"Source: {', '.join(report.sources)}")
            self.stdout.write(summary_line(report, dry_run=options["dry_run"], style=self.style))
        if report.failed:
            sys.exit(1)


def summary_line(report, *, dry_run: bool, style) -> str:
    """The last line: the counts, and whether anything needs a look. A run with warnings
    exits 0 (nothing failed) but never reads as a clean success."""
    summary = ", ".join(f"{name} {count}" for name, count in report.counts.items())
    prefix = "Dry run, nothing written: " if dry_run else ""
    if report.failed:
        return style.ERROR(f"{prefix}{summary}.")
    if report.with_warnings:
        return style.WARNING(
            f"{prefix}{summary}; {report.with_warnings} imported file(s) with warnings: "
            "see the report (--report) or the admin's import review."
        )
    return style.SUCCESS(f"{prefix}{summary}.")


def write_report(path: Path, header: dict, entries) -> None:
    """{counts..., "files": [...]} written from the spooled per-file entries."""
    entries.seek(0)
    with path.open("w", encoding="utf-8") as out:
        out.write(json.dumps(header, indent=2)[:-2] + ',\n  "files": [\n')
        for n, line in enumerate(entries):
            out.write(("" if n == 0 else ",\n") + "    " + line.rstrip("\n"))
        out.write("\n  ]\n}\n")
