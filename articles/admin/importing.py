"""Legacy imports in the admin: the import page, each run's progress and report page (the import
itself is a background job, articles/importing/jobs.py), the post-import review (as views of the
article admin), and the read-only log of every import run."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from articles.admin.forms import LegacyImportForm
from articles.admin.people import user_name
from articles.editorial import workflow
from articles.importing import ImportOptions, jobs, remote_pictures
from articles.importing.options import IMPORT_PERMISSIONS
from articles.importing.review import articles_needing_review, failed_files, warnings_by_kind
from articles.importing.uploads import UploadError
from articles.models import ImportRun


def user_import_options(request, options: ImportOptions) -> ImportOptions:
    """options, run with the user's own permissions (docs/importing.md): a writer's imports arrive
    as drafts, and a writer never overwrites the desk's edits, whatever was posted."""
    may_publish = workflow.may_publish(request.user)
    options.as_drafts = not may_publish
    options.overwrite = may_publish and options.overwrite
    options.user_id = request.user.pk
    options.permissions = frozenset(filter(request.user.has_perm, IMPORT_PERMISSIONS))
    return options


class ImportAdminMixin:
    """The article admin's import page (import/), a run's page and its progress (import/<id>/),
    and the review page (import/review/)."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="articles_article_import"),
            path("import/review/", view(self.import_review_view), name="articles_article_import_review"),
            path(
                "import/review/fetch-pictures/",
                view(require_POST(self.fetch_pictures_view)),
                name="articles_article_import_fetch_pictures",
            ),
            path("import/<int:run_id>/", view(self.import_run_view), name="articles_article_import_run"),
            path(
                "import/<int:run_id>/progress/",
                view(self.import_progress_view),
                name="articles_article_import_progress",
            ),
            path(
                "import/<int:run_id>/for-real/",
                view(require_POST(self.import_for_real_view)),
                name="articles_article_import_for_real",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        may_publish = workflow.may_publish(request.user)  # writers' imports arrive as drafts
        form = LegacyImportForm(request.POST or None, request.FILES or None, may_publish=may_publish)
        context = {
            **self.admin_site.each_context(request),
            "title": "Import legacy files",
            "form": form,
            "as_drafts": not may_publish,
        }
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            options = ImportOptions(
                dry_run=data["dry_run"],
                legacy_url_pattern=data["legacy_url_pattern"],
                key_map=data["key_map"],
                strict=data["strict"],
                legacy_base_url=data["legacy_base_url"],
                overwrite=data.get("overwrite", False),
                source_site=data["source_site"],
            )
            source = "admin upload: " + ", ".join(upload.name for upload in data["files"])
            try:
                run = jobs.start(data["files"], user_import_options(request, options), source=source, user=request.user)
            except UploadError as error:
                form.add_error("files", str(error))
            else:
                return redirect("admin:articles_article_import_run", run.pk)
        return TemplateResponse(request, "admin/articles/import.html", context)

    def _run_for(self, request, run_id: int) -> ImportRun:
        """The run, for whoever started it and for those who may read the log of every run."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        run = get_object_or_404(ImportRun, pk=run_id)
        if run.started_by_id != request.user.pk and not request.user.has_perm("articles.view_importrun"):
            raise PermissionDenied
        return run

    def import_run_view(self, request, run_id: int):
        run = self._run_for(request, run_id)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Dry run {run.pk}" if run.dry_run else f"Import {run.pk}",
            "run": run,
            "report": run.report,
            "as_drafts": run.options.get("as_drafts", False),
            "progress_url": reverse("admin:articles_article_import_progress", args=[run.pk]),
        }
        return TemplateResponse(request, "admin/articles/import_run.html", context)

    def import_progress_view(self, request, run_id: int):
        """How far the run is, for its page to poll: small (the admin's views are never cached)."""
        jobs.resume_stalled()  # someone is watching: a job whose worker died runs again
        run = self._run_for(request, run_id)
        report = run.report
        return JsonResponse(
            {
                "state": run.state,
                "state_label": run.get_state_display(),
                "in_progress": run.in_progress,
                "files_total": run.files_total,
                "files_done": run.files_done,
                "counts": run.counts,
                "failures": report.get("failures", [])
                if run.in_progress
                else [file for file in report.get("files", []) if file.get("status") in ("failed", "conflict")],
                "error": run.error,
            }
        )

    def import_for_real_view(self, request, run_id: int):
        dry_run = self._run_for(request, run_id)
        options = user_import_options(request, jobs.options_from_json(dry_run.options))
        run = jobs.start_for_real(dry_run, options, user=request.user)
        if run is None:
            messages.error(request, "These files are no longer kept (already imported, or removed): upload them again.")
            return redirect("admin:articles_article_import_run", dry_run.pk)
        return redirect("admin:articles_article_import_run", run.pk)

    def import_review_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": "Imported articles to review",
            "findings": articles_needing_review(),
            "warning_kinds": warnings_by_kind(),
            "failures": failed_files(),
            "remote_pictures": remote_pictures.remote_pictures().count(),
            "may_fetch_pictures": request.user.has_perm("articles.change_image"),
        }
        return TemplateResponse(request, "admin/articles/import_review.html", context)

    def fetch_pictures_view(self, request):
        """Queue the download of every picture an import left as a remote reference."""
        if not request.user.has_perm("articles.change_image"):
            raise PermissionDenied
        count = remote_pictures.fetch_later()
        messages.success(
            request,
            f"Fetching {count} remote picture{'s' if count != 1 else ''} in the background. Reload this page "
            "in a while: pictures that could not be fetched are still listed as hotlinked.",
        )
        return redirect("admin:articles_article_import_review")


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """A read-only log of imports and their reports."""

    list_display = ["created_at", "source", "dry_run", "started_by", "summary"]
    list_filter = ["dry_run"]
    fields = readonly_fields = ["created_at", "source", "dry_run", "started_by_name", "state", "error", "report"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="started by")
    def started_by_name(self, run):
        return user_name(run.started_by)

    @admin.display(description="Counts")
    def summary(self, run):
        if run.in_progress:
            return f"{run.get_state_display()}: {run.files_done} of {run.files_total or '?'} files"
        if run.state == ImportRun.State.FAILED:
            return f"Failed: {run.error}"
        if not run.finished:
            return "Did not finish (stopped, or still running); the command's --report has a .partial file"
        return ", ".join(f"{name} {count}" for name, count in run.counts.items())
