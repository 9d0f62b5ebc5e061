"""The one error type of backup and restore: a Vietnamese line the commands print before exiting non-zero."""

import errno


class BackupError(Exception):
    """Backup or restore cannot go on; ``str(exc)`` is one line for the operator."""


def os_error_message(exc: OSError, doing: str) -> str:
    """One line for a file-system error; a full disk is named as such because it is the common case."""
    if exc.errno == errno.ENOSPC:
        return f"Không đủ chỗ trống trên đĩa khi {doing}."
    where = f" ({exc.filename})" if exc.filename else ""
    return f"Lỗi tệp khi {doing}{where}: {exc.strerror or exc}"
