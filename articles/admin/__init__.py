"""The editorial tool: Django's admin, extended rather than replaced. Importing the package registers
every model admin: articles (with the workflow and import pages), images, documents, taxonomy, footer pages,
webhooks, and the logs."""

from articles.admin import (  # noqa: F401 (registers the admins)
    articles,
    corrections,
    documents,
    images,
    importing,
    site_pages,
    taxonomy,
    webhooks,
    workflow,
)
