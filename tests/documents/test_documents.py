"""The documents library: an allow-list checked on content, a size cap, random stored names, and the
Link dialog's upload endpoint."""

import io
import zipfile

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.documents.checks import document_kind
from articles.documents.library import store_document
from articles.models import Document

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
UPLOAD = reverse("admin:articles_document_upload")


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


DOCX = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT = zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"})
DOCM = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>", "word/vbaProject.bin": b"\0"})


@pytest.mark.parametrize(("data", "extension"), [(PDF_BYTES, "pdf"), (DOCX, "docx"), (XLSX, "xlsx"), (ODT, "odt")])
def test_allowed_kinds_are_known_by_their_content(data, extension):
    assert document_kind(data).extension == extension


@pytest.mark.parametrize(
    "data",
    [
        b"<html><script>alert(1)</script></html>",  # HTML named report.pdf
        b"MZ\x90\x00\x03executable",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1legacy-office",  # .doc/.xls carry macros unseen
        zipped({"notes.txt": b"just a zip"}),
        zipped({"mimetype": b"application/x-unknown", "content.xml": b"<x/>"}),
        b"PK\x03\x04broken zip",
        b"",
    ],
)
def test_anything_else_is_refused(data):
    with pytest.raises(ValidationError):
        document_kind(data)


def test_office_files_with_macros_are_refused():
    with pytest.raises(ValidationError, match="macros"):
        document_kind(DOCM)


def test_the_size_cap_holds(settings):
    settings.NEWSROOM_DOCUMENT_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="larger than"):
        store_document(upload=SimpleUploadedFile("big.pdf", PDF_BYTES + b" " * 100))
    assert not Document.objects.exists()


def test_stored_under_a_random_name_with_the_checked_extension(editor):
    first = store_document(upload=SimpleUploadedFile("../Council Minutes.PDF.exe", PDF_BYTES), user=editor)
    second = store_document(upload=SimpleUploadedFile("minutes.pdf", PDF_BYTES), user=editor)
    assert first.file.name.startswith("documents/") and first.file.name.endswith(".pdf")
    assert "Minutes" not in first.file.name and first.file.name != second.file.name
    assert len(first.file.name.removeprefix("documents/").removesuffix(".pdf")) >= 24
    assert (first.original_name, first.title, first.content_type) == (
        "Council Minutes.PDF.exe",
        "Council Minutes.PDF",
        "application/pdf",
    )
    assert first.file.read() == PDF_BYTES


def test_the_link_dialog_upload_stores_a_pdf_for_a_writer(client, writer):
    client.force_login(writer)
    response = client.post(UPLOAD, {"upload": SimpleUploadedFile("minutes.pdf", PDF_BYTES)})
    answer = response.json()
    document = Document.objects.get()
    assert answer == {"uploaded": 1, "fileName": "minutes.pdf", "url": document.url}
    assert document.uploaded_by == writer


def test_the_link_dialog_upload_refuses_html_in_a_pdf_name_saying_why(client, editor):
    client.force_login(editor)
    response = client.post(UPLOAD, {"upload": SimpleUploadedFile("report.pdf", b"<html><script></script>")})
    assert response.status_code == 200  # CKEditor shows the message only on a 200
    assert response.json()["uploaded"] == 0 and "checked by their content" in response.json()["error"]["message"]
    assert not Document.objects.exists()


def test_the_upload_needs_staff_with_permission_and_a_post(client, django_user_model, writer):
    assert client.post(UPLOAD, {"upload": SimpleUploadedFile("a.pdf", PDF_BYTES)}).status_code == 302  # to login
    nobody = django_user_model.objects.create_user("nobody", password="pw-nobody", is_staff=True)
    client.force_login(nobody)
    assert client.post(UPLOAD, {"upload": SimpleUploadedFile("a.pdf", PDF_BYTES)}).status_code == 403
    client.force_login(writer)
    assert client.get(UPLOAD).status_code == 405
    assert not Document.objects.exists()


def test_the_groups_may_upload_and_only_editors_delete():
    writers, editors = Group.objects.get(name="Writers"), Group.objects.get(name="Editors")
    assert set(writers.permissions.filter(codename__endswith="_document").values_list("codename", flat=True)) == {
        "add_document",
        "change_document",
        "view_document",
    }
    assert editors.permissions.filter(codename="delete_document").exists()


def test_the_admin_add_form_stores_the_file_and_refuses_others(client, editor):
    client.force_login(editor)
    add = reverse("admin:articles_document_add")
    refused = client.post(add, {"title": "", "upload": SimpleUploadedFile("x.pdf", b"MZ-not-a-pdf")})
    assert refused.status_code == 200 and "checked by their content" in refused.content.decode()
    response = client.post(add, {"title": "Budget 2027", "upload": SimpleUploadedFile("budget.xlsx", XLSX)})
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.title, document.extension) == ("Budget 2027", "xlsx")
    page = client.get(reverse("admin:articles_document_change", args=[document.pk])).content.decode()
    assert document.url in page
    assert "Budget 2027" in client.get(reverse("admin:articles_document_changelist")).content.decode()


def test_documents_are_served_as_downloads_with_their_checked_type(client, editor, settings):
    document = store_document(upload=SimpleUploadedFile("minutes.pdf", PDF_BYTES), user=editor)
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == "attachment"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF_BYTES
    # Only under documents/: a PDF elsewhere in media is not served, nor HTML under documents/.
    (settings.MEDIA_ROOT / "stray.pdf").write_bytes(PDF_BYTES)
    (settings.MEDIA_ROOT / "documents" / "evil.html").write_bytes(b"<script>alert(1)</script>")
    assert client.get("/media/stray.pdf").status_code == 404
    assert client.get("/media/documents/evil.html").status_code == 404
