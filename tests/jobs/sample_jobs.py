"""Jobs the tests enqueue: module-level, as every task must be, so a worker process can import them."""

from articles.jobs import task


@task
def add(a: int, b: int) -> int:
    return a + b
