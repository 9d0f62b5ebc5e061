"""Excel (.xlsx) import and export of the directory: agencies, units and officials, one sheet each.

An exported file imports back unchanged; an import checks every row first and writes nothing unless the
whole file is valid (see ``importer``)."""

from egov.directory.excel.exporter import export_directory
from egov.directory.excel.importer import ImportReport, import_directory
from egov.directory.excel.layout import INVALID_FILE_MESSAGE

__all__ = ["INVALID_FILE_MESSAGE", "ImportReport", "export_directory", "import_directory"]
