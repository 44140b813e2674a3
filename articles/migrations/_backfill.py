"""For data migrations: fill a field newer than the rows (not a migration itself: the loader skips "_" names)."""


def fill_from_body(apps, field: str, compute, batch_size: int = 500) -> None:
    """Articles saved before field existed: compute(body) once for each, as Article.save() does since."""
    Article = apps.get_model("articles", "Article")
    batch = []
    for article in Article.objects.only("pk", "body").iterator(chunk_size=batch_size):
        setattr(article, field, compute(article.body))
        batch.append(article)
        if len(batch) == batch_size:
            Article.objects.bulk_update(batch, [field])
            batch = []
    Article.objects.bulk_update(batch, [field])
