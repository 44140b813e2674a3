"""What editors should look at after an import, and the record of each run."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Prefetch

from articles.importing.options import ImportReport
from articles.models import Article, ArticleFigure, ImportRun

# Captions that are really credits: "Photo: …", "© …", "… / Reuters".
CREDIT_LIKE = re.compile(
    r"^\s*(photo|picture|image|credit|source)s?\s*(:|by\b)|©|\(c\)|"
    r"/\s*(getty|reuters|ap|afp|pa|epa|shutterstock|alamy|rex)\b",
    re.IGNORECASE,
)


# What a warning is about, for the review page; the first that matches names it.
WARNING_KINDS = [
    ("Dead links to posts that did not import", re.compile(r"^dead link")),
    ("Pictures not found", re.compile(r"^image .* not found")),
    ("Pictures refused", re.compile(r"^(lead )?image .*(refused|outside|larger)")),
    ("Template syntax shown as text", re.compile(r"kept as text|not closed|missing|no such post")),
    ("Embeds kept as links", re.compile(r"kept as a link")),
    ("Content removed", re.compile(r"removed")),
    ("Drafted for want of a date", re.compile(r"^no date")),
    ("Made up from the file name", re.compile(r"^no title")),
    ("Front matter values not understood", re.compile(r"^'[^']+' (is|has)|not understood|means the file")),
    ("Old addresses moved", re.compile(r"^legacy address")),
]
_LINE = re.compile(r"^line \d+: ")


def warning_kind(warning: str) -> str:
    text = _LINE.sub("", warning)
    return next((kind for kind, pattern in WARNING_KINDS if pattern.search(text)), "Other")


def warnings_by_kind(runs: int = 5) -> list[tuple[str, list[dict]]]:
    """The warnings of imported files in the last real runs, grouped by what they are about."""
    groups: dict[str, list[dict]] = {kind: [] for kind, _ in WARNING_KINDS} | {"Other": []}
    for run in ImportRun.objects.filter(dry_run=False)[:runs]:
        for entry in run.report.get("files", []):
            if entry.get("status") not in ("created", "updated"):
                continue
            for warning in entry.get("warnings", []):
                groups[warning_kind(warning)].append({**entry, "warning": warning, "run": run})
    return [(kind, entries) for kind, entries in groups.items() if entries]


def start_run(*, source: str, dry_run: bool, user=None) -> ImportRun:
    """A run recorded before its first file is read: one that never ends (killed) stays in the
    log as not finished, and record_run() fills in the report of one that does."""
    return ImportRun.objects.create(report={"finished": False}, source=source[:500], dry_run=dry_run, started_by=user)


def record_run(report: ImportReport, *, source: str, dry_run: bool, user=None, run: ImportRun | None = None):
    if run is None:
        return ImportRun.objects.create(report=report.as_dict(), source=source[:500], dry_run=dry_run, started_by=user)
    run.report = report.as_dict()
    run.save(update_fields=["report"])
    return run


@dataclass
class Finding:
    article: Article
    problems: list[str] = field(default_factory=list)


def _image_problems(image, caption: str, where: str) -> list[str]:
    problems = []
    if not image.file:
        if image.source_url.startswith(("http://", "https://")):
            problems.append(f"{where}: hotlinked from {image.source_url}")
        else:
            problems.append(f"{where}: broken address {image.source_url!r}")
    if not image.alt_text:
        problems.append(f"{where}: no alt text")
    if caption and CREDIT_LIKE.search(caption):
        problems.append(f"{where}: caption looks like a credit ({caption[:60]!r})")
    return problems


def articles_needing_review(limit: int = 200) -> list[Finding]:
    """Imported articles with something an editor should check, newest import first."""
    queryset = (
        Article.objects.exclude(source_path="")
        .select_related("lead_image")
        .prefetch_related(Prefetch("figures", queryset=ArticleFigure.objects.select_related("image")))
        .order_by("-updated_at", "-pk")
    )
    findings = []
    for article in queryset.iterator(chunk_size=500):
        problems = []
        if article.lead_image:
            problems += _image_problems(article.lead_image, article.lead_caption, "lead image")
        for figure in article.figures.all():
            problems += _image_problems(figure.image, figure.caption, f"figure {figure.position + 1}")
        if not article.legacy_url:
            problems.append("no legacy address: old links to it will not be redirected")
        if problems:
            findings.append(Finding(article, problems))
            if len(findings) >= limit:
                break
    return findings


def failed_files(runs: int = 10) -> list[dict]:
    """Files that failed in the last real (not dry) runs, with their run."""
    failures = []
    for run in ImportRun.objects.filter(dry_run=False)[:runs]:
        for entry in run.report.get("files", []):
            if entry.get("status") in {"failed", "conflict"}:
                failures.append({**entry, "run": run})
    return failures
