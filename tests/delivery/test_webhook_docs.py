"""The signature check docs/webhooks.md gives receivers works on real deliveries, and refuses forgeries."""

import re
import time
from pathlib import Path

import pytest

from articles.delivery import signing
from articles.delivery import webhooks as delivering
from articles.models import Webhook
from tests.factories import make_article

pytestmark = pytest.mark.django_db
DOC = Path(__file__).resolve().parents[2] / "docs" / "webhooks.md"


@pytest.fixture
def documented_verify():
    block = re.search(r"```python\n(.*?)```", DOC.read_text(), re.S).group(1)
    namespace = {}
    exec(block, namespace)  # noqa: S102 (our own documentation's example)
    return namespace["verify"]


def test_the_documented_check_accepts_a_real_delivery_and_refuses_a_changed_one(
    documented_verify, webhooks_to_this_machine
):
    receiver = webhooks_to_this_machine
    hook = Webhook.objects.create(name="Partner", url=receiver.url + "/hook", events=["updated"])
    delivering.announce.call(make_article(title="Quay works").pk, "updated")
    [request] = receiver.requests

    assert documented_verify(hook.secret, request.headers, request.body)
    assert not documented_verify("another secret", request.headers, request.body)
    assert not documented_verify(hook.secret, request.headers, request.body.replace(b"Quay", b"Quai"))
    moved = {**request.headers, "X-Newsroom-Timestamp": str(int(request.headers["X-Newsroom-Timestamp"]) + 1)}
    assert not documented_verify(hook.secret, moved, request.body)  # the timestamp is signed too
    old = int(time.time()) - 301  # a correctly signed delivery recorded five minutes ago, replayed
    replayed = {
        "X-Newsroom-Timestamp": str(old),
        "X-Newsroom-Signature": signing.signature(hook.secret, old, request.body),
    }
    assert not documented_verify(hook.secret, replayed, request.body)
