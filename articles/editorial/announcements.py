"""What the outside world is told about an article, once the change is committed.

The editorial actions announce what readers will notice: "published" (live now), "updated"
(changed while live), "unpublished" (no longer live), "corrected" (a correction or update
shown under it), and "scheduled" (to go live at its publish time). Receivers in higher
layers listen (articles/delivery: webhooks, the go-live job); editorial code needs to know
none of them. Sent after the transaction commits, never for one that rolls back.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.dispatch import Signal

PUBLISHED, UPDATED, UNPUBLISHED, CORRECTED, SCHEDULED = "published", "updated", "unpublished", "corrected", "scheduled"

# Sent with article_id (int) and event (one of the names above).
article_announced = Signal()


def announce(article_id: int, event: str) -> None:
    """Tell the receivers about article after the current transaction commits (at once outside one)."""
    # robust: a receiver that fails is logged; the save it follows has succeeded and stays so.
    transaction.on_commit(partial(article_announced.send, sender=None, article_id=article_id, event=event), robust=True)
