"""Legacy imports in the admin: the import page and the post-import review (as views of the article
admin), and the read-only log of every import run."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path

from articles.admin.forms import LegacyImportForm
from articles.admin.people import user_name
from articles.editorial import workflow
from articles.importing import ImportOptions, import_paths
from articles.importing.options import IMPORT_PERMISSIONS
from articles.importing.review import articles_needing_review, failed_files, record_run, warnings_by_kind
from articles.importing.uploads import UploadError, unpack
from articles.models import ImportRun


class ImportAdminMixin:
    """The article admin's import page (import/) and review page (import/review/)."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="articles_article_import"),
            path("import/review/", view(self.import_review_view), name="articles_article_import_review"),
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
            with tempfile.TemporaryDirectory(prefix="newsroom-import-") as folder:
                root = Path(folder, "uploads")  # its name is the source's when the form and the site give none
                root.mkdir()
                try:
                    context["upload_warnings"] = unpack(form.cleaned_data["files"], root)
                except UploadError as error:
                    form.add_error("files", str(error))
                    return TemplateResponse(request, "admin/articles/import.html", context)
                options = ImportOptions(
                    dry_run=form.cleaned_data["dry_run"],
                    legacy_url_pattern=form.cleaned_data["legacy_url_pattern"],
                    key_map=form.cleaned_data["key_map"],
                    strict=form.cleaned_data["strict"],
                    legacy_base_url=form.cleaned_data["legacy_base_url"],
                    # Not in a writer's form; a posted value is ignored all the same.
                    overwrite=may_publish and form.cleaned_data.get("overwrite", False),
                    source_site=form.cleaned_data["source_site"],
                    as_drafts=not may_publish,
                    # The import runs with the user's own permissions (docs/importing.md).
                    user_id=request.user.pk,
                    permissions=frozenset(filter(request.user.has_perm, IMPORT_PERMISSIONS)),
                )
                report = import_paths([root], options)
                for result in report.files:  # show paths inside the upload, not the temporary folder
                    result.path = Path(result.path).relative_to(root).as_posix()
            names = ", ".join(upload.name for upload in form.cleaned_data["files"])
            record_run(report, source=f"admin upload: {names}", dry_run=options.dry_run, user=request.user)
            context.update(report=report, counts=report.counts, dry_run=options.dry_run)
        return TemplateResponse(request, "admin/articles/import.html", context)

    def import_review_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": "Imported articles to review",
            "findings": articles_needing_review(),
            "warning_kinds": warnings_by_kind(),
            "failures": failed_files(),
        }
        return TemplateResponse(request, "admin/articles/import_review.html", context)


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """A read-only log of imports and their reports."""

    list_display = ["created_at", "source", "dry_run", "started_by", "summary"]
    list_filter = ["dry_run"]
    fields = readonly_fields = ["created_at", "source", "dry_run", "started_by_name", "report"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="started by")
    def started_by_name(self, run):
        return user_name(run.started_by)

    @admin.display(description="Counts")
    def summary(self, run):
        if not run.finished:
            return "Did not finish (stopped, or still running); the command's --report has a .partial file"
        return ", ".join(f"{name} {count}" for name, count in run.counts.items())
