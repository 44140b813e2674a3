"""The image library's admin pages: upload many with alt text, focal point picker, deletion refused while in use.

The rules live in articles/image_library.py (staging, reuse, "in use") and
articles/images.py (upload checks); these are thin views over them.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from articles import image_library
from articles.images import STORAGE_ERRORS, storage_failure_message
from articles.models import Article, Image


def articles_using(image: Image):
    return (
        Article.objects.filter(pk__in=image.lead_articles.values("pk"))
        | Article.objects.filter(pk__in=image.figure_uses.values("article"))
    ).distinct()


def in_use_message(images) -> str:
    """Why these pictures stay: which articles use them, linked, so the editor can go and change them."""
    parts = []
    for image in images:
        links = format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            ((reverse("admin:articles_article_change", args=[a.pk]), a.title) for a in articles_using(image)),
        )
        parts.append(format_html("“{}” is used in {}", image, links))
    return format_html(
        "Not deleted: {}. A picture an article shows cannot be deleted; remove it from those articles first.",
        format_html_join("; ", "{}", ((part,) for part in parts)),
    )


def refuse_deletion(request, image: Image | None):
    """A redirect with a message saying where the picture is used, or None when it may be deleted."""
    if image is None or not image_library.in_use(Image.objects.filter(pk=image.pk)).exists():
        return None
    messages.error(request, in_use_message([image]))
    return HttpResponseRedirect(reverse("admin:articles_image_change", args=[image.pk]))


def delete_selected(model_admin, request, queryset):
    """The bulk delete action, under Django's name (its confirmation page posts that name back):
    nothing is deleted while any selected picture is in use."""
    used = list(image_library.in_use(queryset))
    if used:
        messages.error(request, in_use_message(used))
        return None
    try:
        return django_delete_selected(model_admin, request, queryset)
    except ProtectedError:
        messages.error(request, in_use_message(list(image_library.in_use(queryset))))
        return None


delete_selected.short_description = django_delete_selected.short_description
delete_selected.allowed_permissions = ("delete",)


def focal_picker(image: Image) -> str:
    """The picture with a marker on its focal point; clicking moves it (static/articles/focal_point.js)."""
    if not image.pk or not image.url:
        return "—"
    return format_html(
        '<div class="newsroom-focal" data-focal-x="{}" data-focal-y="{}">'
        '<img src="{}" alt="" class="newsroom-focal__picture" width="{}" height="{}">'
        '<span class="newsroom-focal__marker" hidden></span></div>'
        '<div class="help newsroom-focal__help">Click the subject of the picture: crops keep that point in frame. '
        '<button type="button" class="button newsroom-focal__clear">Clear the focal point</button></div>',
        "" if image.focal_x is None else image.focal_x,
        "" if image.focal_y is None else image.focal_y,
        image.url,
        image.width or 320,
        image.height or 213,
    )


def upload_many_view(model_admin, request):
    """Step one: choose files; known pictures are reused, new ones parked until described."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    form = image_library.UploadManyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = image_library.stage(form.cleaned_data["files"], session=request.session)
        except STORAGE_ERRORS as error:
            form.add_error("files", storage_failure_message(error))
        else:
            for name, image in result.reused:
                messages.info(
                    request,
                    format_html(
                        '{} is already in the library as <a href="{}">{}</a>: that one is reused.',
                        name,
                        reverse("admin:articles_image_change", args=[image.pk]),
                        image,
                    ),
                )
            for name, reason in result.refused:
                messages.error(request, f"{name} was not added: {reason}.")
            if result.staged:
                return HttpResponseRedirect(reverse("admin:articles_image_describe"))
            return HttpResponseRedirect(reverse("admin:articles_image_changelist"))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Image._meta,
        "title": "Upload pictures",
        "form": form,
    }
    return TemplateResponse(request, "admin/articles/image/upload_many.html", context)


def describe_view(model_admin, request):
    """Step two: alt text (required), credit and copyright for each new picture; then they are stored."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    staged = image_library.staged(request.session)
    if request.method == "POST" and "_cancel" in request.POST:
        image_library.discard(request.session)
        messages.info(request, "Nothing was added.")
        return HttpResponseRedirect(reverse("admin:articles_image_changelist"))
    if not staged:
        return HttpResponseRedirect(reverse("admin:articles_image_upload_many"))
    initial = [{"key": item.key, "credit": item.credit, "copyright": item.copyright} for item in staged]
    formset = image_library.DescribeFormSet(request.POST or None, initial=initial)
    if request.method == "POST" and formset.is_valid():
        try:
            images = image_library.store(request.session, formset.cleaned_data, user=request.user)
        except STORAGE_ERRORS as error:
            messages.error(request, storage_failure_message(error))
        else:
            messages.success(request, f"Added {len(images)} picture(s) to the library.")
            return HttpResponseRedirect(reverse("admin:articles_image_changelist"))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Image._meta,
        "title": "Describe the new pictures",
        "formset": formset,
        "rows": list(zip(staged, formset.forms, strict=False)),
    }
    return TemplateResponse(request, "admin/articles/image/describe.html", context)
