"""Media in S3-compatible object storage, against moto's S3 server on 127.0.0.1 started by the tests.

The admin's Image form, the editor's upload endpoint and the importer all store
pictures through Image.file, i.e. the default storage, so an upload through the
admin shows the whole path: S3Storage writes the object, and Image.url is the
public address readers' pages use.
"""

import pytest
from django.core.files.storage import storages

from articles.models import Image
from tests.factories import make_article, post_picture

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server", reason="moto[server] is not installed (requirements-dev.txt)")

pytestmark = pytest.mark.django_db
BUCKET = "newsroom-media"
CREDENTIALS = {"access_key": "test-access-key", "secret_key": "test-secret-key"}  # moto accepts any


@pytest.fixture(scope="module")
def s3_endpoint():
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint):
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id=CREDENTIALS["access_key"],
        aws_secret_access_key=CREDENTIALS["secret_key"],
    )
    client.create_bucket(Bucket=BUCKET)
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def use_s3(settings, endpoint, **options):
    """STORAGES["default"] as settings.py builds it when AWS_STORAGE_BUCKET_NAME is set."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": endpoint,
                "region_name": "us-east-1",
                "querystring_auth": False,
                "file_overwrite": False,
                "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
                **CREDENTIALS,
                **options,
            },
        },
    }


def upload_through_admin(client, user, **fields):
    response = post_picture(client, user, size=(160, 90), **{"credit": "Ann Lee", **fields})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Image.objects.get()


def test_admin_upload_lands_in_the_bucket_and_is_served_from_the_cdn_domain(settings, client, editor, bucket):
    use_s3(settings, bucket.meta.endpoint_url, custom_domain="media.cdn.example")

    image = upload_through_admin(client, editor)

    assert type(storages["default"]).__name__ == "S3Storage"
    key = image.file.name
    assert key.startswith("images/") and key.endswith(".jpg")
    stored = bucket.get_object(Bucket=BUCKET, Key=key)
    assert stored["ContentType"] == "image/jpeg"
    assert stored["CacheControl"] == "public, max-age=31536000, immutable"
    assert stored["Body"].read() == image.file.open("rb").read()
    assert (image.width, image.height) == (160, 90)
    assert image.url == f"https://media.cdn.example/{key}"
    # Nothing is written to the local disk.
    assert not settings.MEDIA_ROOT.exists() or not any(settings.MEDIA_ROOT.rglob("*.jpg"))

    # Readers' pages point at the CDN.
    article = make_article(title="Harbour reopens", lead_image=image)
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'src="https://media.cdn.example/{key}"' in html


def test_without_a_cdn_the_url_is_the_endpoints_and_unsigned(settings, client, editor, bucket):
    endpoint = bucket.meta.endpoint_url
    use_s3(settings, endpoint)

    image = upload_through_admin(client, editor)

    assert image.url == f"{endpoint}/{BUCKET}/{image.file.name}"
    assert "Signature" not in image.url and "X-Amz" not in image.url
    bucket.head_object(Bucket=BUCKET, Key=image.file.name)


def test_unreachable_object_storage_is_a_form_error(settings, client, editor, s3_endpoint):
    # No bucket by that name: the upload is refused by the storage, not crashed on.
    use_s3(settings, s3_endpoint)
    settings.STORAGES["default"]["OPTIONS"]["bucket_name"] = "no-such-bucket"
    response = post_picture(client, editor, size=(64, 48), alt_text="Boats")

    assert response.status_code == 200
    assert "Could not store the picture:" in response.content.decode()
    assert Image.objects.count() == 0
