"""Uploaded files: read through the default storage into one tar, written back through it on restore.

Going through Django's storage API means the same code copies a local folder (FileSystemStorage under
EGOV_DATA_DIR/media) and the objects of an S3-compatible bucket (S3Storage): each file is streamed once,
hashed while it is written into the archive.
"""

import hashlib
import posixpath
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path

from django.core.files import File

from egov.core.backup.errors import BackupError

ARCHIVE_NAME = "files.tar"


def storage_walk(storage, path: str = "") -> Iterator[str]:
    """Every file name in the storage, depth first, in a stable order."""
    try:
        dirs, files = storage.listdir(path)
    except FileNotFoundError:  # a local storage whose folder was never created: no files yet
        return
    for name in sorted(files):
        yield posixpath.join(path, name) if path else name
    for name in sorted(dirs):
        yield from storage_walk(storage, posixpath.join(path, name) if path else name)


class _HashingReader:
    """Reads a file object for tarfile while computing its SHA-256 and length."""

    def __init__(self, fh):
        self.fh = fh
        self.digest = hashlib.sha256()
        self.count = 0

    def read(self, size=-1):
        block = self.fh.read(size)
        self.digest.update(block)
        self.count += len(block)
        return block


def files_dump(storage, target: Path, progress=None) -> list[dict]:
    """Write every stored file into ``target`` (a tar); return ``[{"path", "size", "sha256"}]``."""
    entries = []
    now = int(time.time())
    with tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as tar:
        for name in storage_walk(storage):
            size = storage.size(name)
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = size, now, 0o640
            with storage.open(name, "rb") as fh:
                reader = _HashingReader(fh)
                try:
                    tar.addfile(info, reader)
                except OSError as exc:
                    if getattr(exc, "errno", None):
                        raise
                    raise BackupError(f"Tệp {name} thay đổi trong lúc sao lưu ({exc}); chạy lại lệnh.") from None
            entries.append({"path": name, "size": size, "sha256": reader.digest.hexdigest()})
            if progress is not None:
                progress(len(entries), size)
    return entries


def _safe_name(name: str) -> str:
    normal = posixpath.normpath(name)
    if normal.startswith(("/", "../")) or normal in {".", ".."} or "\\" in normal:
        raise BackupError(f"Tên tệp không hợp lệ trong bản sao lưu: {name!r}")
    return normal


def files_restore(storage, archive: Path, progress=None) -> int:
    """Write every file of the archive into the storage under its own name (a file already there is replaced)."""
    count = 0
    with tarfile.open(archive, "r") as tar:
        for member in tar:
            if not member.isfile():
                continue
            name = _safe_name(member.name)
            if storage.exists(name):
                storage.delete(name)
            saved = storage.save(name, File(tar.extractfile(member), name=posixpath.basename(name)))
            if saved != name:
                raise BackupError(f"Kho tệp lưu {name} dưới tên khác ({saved}).")
            count += 1
            if progress is not None:
                progress(count, member.size)
    return count


def files_compare(storage, expected: list[dict]) -> list[str]:
    """One line per file that is missing or differs (size or SHA-256) from the manifest."""
    problems = []
    for entry in expected:
        name = entry["path"]
        if not storage.exists(name):
            problems.append(f"thiếu tệp {name}")
            continue
        digest = hashlib.sha256()
        size = 0
        with storage.open(name, "rb") as fh:
            for chunk in iter(lambda fh=fh: fh.read(1 << 20), b""):
                digest.update(chunk)
                size += len(chunk)
        if size != entry["size"] or digest.hexdigest() != entry["sha256"]:
            problems.append(f"tệp {name} khác bản sao lưu")
    return problems
