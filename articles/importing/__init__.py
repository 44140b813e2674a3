"""Legacy import: parsing.py reads a file, cleanup.py fixes its HTML,
fetching.py downloads pictures safely, service.py writes articles."""

from articles.importing.service import FileResult, ImportOptions, ImportReport, import_file, import_paths, iter_files

__all__ = ["FileResult", "ImportOptions", "ImportReport", "import_file", "import_paths", "iter_files"]
