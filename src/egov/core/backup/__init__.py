"""Backup and restore of one instance: the database, the uploaded files and a manifest with checksums.

``backup_create`` writes a folder (database dump, ``files.tar``, ``manifest.json``) that only gets its final
name once complete; ``backup_restore`` checks every checksum before it touches the target, rebuilds an empty
instance, then recomputes every table's row count and content checksum and compares them with the manifest.
"""

from egov.core.backup.errors import BackupError
from egov.core.backup.ops import RestoreReport, backup_create, backup_restore

__all__ = ["BackupError", "RestoreReport", "backup_create", "backup_restore"]
