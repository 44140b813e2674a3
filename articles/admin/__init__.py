"""The editorial tool: Django's admin, extended rather than replaced. Importing the package registers
every model admin: articles (with the workflow and import pages), images, documents, taxonomy, webhooks, and the logs."""

from articles.admin import (  # noqa: F401 (registers the admins)
    articles,
    corrections,
    documents,
    images,
    importing,
    taxonomy,
    webhooks,
    workflow,
)
