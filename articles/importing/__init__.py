"""Legacy import: parsing.py reads a file, cleanup.py fixes its HTML, fetching.py downloads pictures
safely, pictures.py stores them, service.py writes articles (pipeline.py keeps a large run fast),
review.py says what to check afterwards, export.py writes articles back out as files."""

from articles.importing.options import FileResult, ImportOptions, ImportReport, iter_files
from articles.importing.service import import_file, import_paths

__all__ = ["FileResult", "ImportOptions", "ImportReport", "import_file", "import_paths", "iter_files"]
