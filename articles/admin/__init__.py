"""The editorial tool: Django's admin, extended rather than replaced. Importing the package registers
every model admin: articles (with the workflow and import pages), images, taxonomy, footer pages, and the logs."""

from articles.admin import (  # noqa: F401 (registers the admins)
    articles,
    corrections,
    images,
    importing,
    site_pages,
    taxonomy,
    workflow,
)
