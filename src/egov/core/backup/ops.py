"""backup_create and backup_restore: the two operations behind ``manage.py backup`` and ``manage.py restore``.

A backup folder holds ``database.sqlite3`` or ``database.dump``, ``files.tar``, ``manifest.json`` and
``manifest.json.sha256``. It is written under a hidden temporary name beside its destination and renamed only
once everything is on disk, so a folder with the final name is always complete.
"""

import contextlib
import copy
import datetime as dt
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import django
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connections
from django.db.utils import load_backend

from egov.core.audit import ChainReport, audit_chain_verify
from egov.core.backup import postgres, sqlite
from egov.core.backup.errors import BackupError, os_error_message
from egov.core.backup.files import ARCHIVE_NAME, files_compare, files_dump, files_restore
from egov.core.backup.manifest import (
    FORMAT_VERSION,
    migration_state,
    sha256_file,
    table_names,
    tables_compare,
    tables_manifest,
)

MANIFEST = "manifest.json"
SOURCE_ALIAS = "egov_backup_source"
Progress = Callable[[str], None]


def _quiet(_message: str) -> None:
    pass


@contextlib.contextmanager
def _fresh_connection(**overrides):
    """A database connection of its own for the backup's read transaction and for checksums; the caller's
    connections (and their transactions) are left alone. Known to ``django.db.connections`` in this thread only
    (Django's internals look a connection up by its alias), never added to the DATABASES setting."""
    params = copy.deepcopy(connections["default"].settings_dict)
    params.update(overrides)
    wrapper = load_backend(params["ENGINE"]).DatabaseWrapper(params, SOURCE_ALIAS)
    connections[SOURCE_ALIAS] = wrapper
    try:
        yield wrapper
    finally:
        wrapper.close()
        del connections[SOURCE_ALIAS]


def _table_progress(progress: Progress):
    seen = {"tables": 0, "rows": 0}

    def step(_table: str, rows: int) -> None:
        seen["tables"] += 1
        seen["rows"] += rows
        if seen["tables"] % 50 == 0:
            progress(f"  … {seen['tables']} bảng, {_count(seen['rows'])} dòng")
    return step


def _describe(progress: Progress):
    def describe(connection) -> tuple[dict, dict]:
        return tables_manifest(connection, _table_progress(progress)), migration_state(connection)
    return describe


def _file_entry(path: Path) -> dict:
    return {"file": path.name, "size": path.stat().st_size, "sha256": sha256_file(path)}


def _fsync_folder(folder: Path) -> None:
    for path in folder.iterdir():
        with open(path, "rb") as fh:
            os.fsync(fh.fileno())
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _count(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _mb(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB".replace(".", ",")


def backup_create(*, output: Path | None = None, progress: Progress = _quiet) -> Path:
    """Write a complete backup folder and return its path (default EGOV_DATA_DIR/backups/<UTC timestamp>)."""
    created = dt.datetime.now(dt.UTC)
    final = Path(output) if output else Path(settings.DATA_DIR) / "backups" / created.strftime("%Y%m%d-%H%M%S")
    final = final.expanduser().resolve()
    media = Path(settings.MEDIA_ROOT).expanduser().resolve()
    if final == media or media in final.parents:
        raise BackupError(f"Thư mục sao lưu {final} nằm trong thư mục tệp tải lên {media}: chọn chỗ khác.")
    if final.exists() and (not final.is_dir() or any(final.iterdir())):
        raise BackupError(f"Thư mục đích {final} đã có dữ liệu; chọn thư mục khác (--output).")
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{final.name}.partial-", dir=final.parent))
    except OSError as exc:
        raise BackupError(os_error_message(exc, f"tạo thư mục sao lưu {final}")) from None
    try:
        manifest = _backup_into(work, created, progress)
        (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        (work / f"{MANIFEST}.sha256").write_text(f"{sha256_file(work / MANIFEST)}  {MANIFEST}\n", encoding="utf-8")
        _fsync_folder(work)
        if final.exists():
            final.rmdir()
        os.rename(work, final)
    except OSError as exc:
        shutil.rmtree(work, ignore_errors=True)
        raise BackupError(os_error_message(exc, "ghi bản sao lưu")) from None
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    progress(f"Bản sao lưu hoàn tất: {final}")
    return final


def _backup_into(work: Path, created: dt.datetime, progress: Progress) -> dict:
    vendor = connections["default"].vendor
    progress(f"Sao lưu CSDL ({vendor}) …")
    if vendor == "sqlite":
        dump_path = work / sqlite.DUMP_NAME
        sqlite.dump(dump_path)
        progress(f"  CSDL: {_mb(dump_path.stat().st_size)}; tính mã kiểm tra từng bảng …")
        # Checksums of the copy itself: the manifest describes exactly the file in the backup.
        with _fresh_connection(NAME=sqlite.file_uri(dump_path, readonly=True), OPTIONS={"timeout": 20}) as connection:
            tables, migrations = _describe(progress)(connection)
            server_version = connection.Database.sqlite_version
    elif vendor == "postgresql":
        dump_path = work / postgres.DUMP_NAME
        with _fresh_connection() as connection:
            tables, migrations = postgres.dump(dump_path, connection, _describe(progress))
            server_version = str(connection.pg_version)
        progress(f"  CSDL: {_mb(dump_path.stat().st_size)} (pg_dump --format=custom)")
    else:
        raise BackupError(f"Chưa hỗ trợ sao lưu CSDL loại {vendor}.")
    rows = sum(t["rows"] for t in tables.values())
    progress(f"  {len(tables)} bảng, {_count(rows)} dòng")

    progress("Sao lưu tệp tải lên …")
    archive = work / ARCHIVE_NAME
    files = files_dump(default_storage, archive)
    progress(f"  {len(files)} tệp, {_mb(sum(f['size'] for f in files))}")
    return {
        "format": FORMAT_VERSION,
        "created_at": created.isoformat(timespec="seconds"),
        "engine": vendor,
        "server_version": server_version,
        "django": django.get_version(),
        "migrations": migrations,
        "database": _file_entry(dump_path),
        "files_archive": {**_file_entry(archive), "count": len(files)},
        "storage": settings.STORAGES["default"]["BACKEND"],
        "tables": tables,
        "files": files,
    }


# --- restore ---------------------------------------------------------------------------------------------------

@dataclass
class RestoreReport:
    tables: int = 0
    rows: int = 0
    files: int = 0
    problems: list[str] = field(default_factory=list)
    audit: ChainReport | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and self.audit is not None and self.audit.ok


def manifest_read(folder: Path) -> dict:
    """The manifest, after checking it against its own checksum file."""
    path, check = folder / MANIFEST, folder / f"{MANIFEST}.sha256"
    if not folder.is_dir() or not path.is_file():
        raise BackupError(f"Không tìm thấy {MANIFEST} trong {folder}: không phải thư mục sao lưu.")
    if check.is_file() and check.read_text(encoding="utf-8").split()[:1] != [sha256_file(path)]:
        raise BackupError(f"Bản sao lưu hỏng: {MANIFEST} không khớp mã kiểm tra; không ghi gì vào hệ thống.")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise BackupError(f"Bản sao lưu hỏng: {MANIFEST} không đọc được.") from None
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"Định dạng bản sao lưu {manifest.get('format')!r} không được hỗ trợ "
                          f"(phiên bản này đọc định dạng {FORMAT_VERSION}).")
    return manifest


def backup_verify(folder: Path, manifest: dict) -> None:
    """Size and SHA-256 of the dump and of the file archive, before anything is written."""
    for key in ("database", "files_archive"):
        entry = manifest[key]
        path = folder / entry["file"]
        if not path.is_file():
            raise BackupError(f"Bản sao lưu thiếu tệp {entry['file']}; không ghi gì vào hệ thống.")
        if path.stat().st_size != entry["size"] or sha256_file(path) != entry["sha256"]:
            raise BackupError(f"Bản sao lưu hỏng: {entry['file']} khác mã kiểm tra trong {MANIFEST}; "
                              "không ghi gì vào hệ thống.")


def _non_empty_tables(connection) -> list[str]:
    found = []
    with connection.cursor() as cursor:
        for table in table_names(connection):
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608 (introspected name)
            if cursor.fetchone():
                found.append(table)
    return found


def backup_restore(*, folder: Path, force: bool = False, progress: Progress = _quiet) -> RestoreReport:
    """Rebuild the configured (empty) instance from a backup folder, then prove it equals the manifest."""
    folder = Path(folder).expanduser().resolve()
    manifest = manifest_read(folder)
    vendor = connections["default"].vendor
    if manifest["engine"] != vendor:
        raise BackupError(f"Bản sao lưu là CSDL {manifest['engine']}, hệ thống đích dùng {vendor}: chỉ khôi phục "
                          "được vào cùng loại CSDL (SQLite sang PostgreSQL chưa được hỗ trợ).")
    progress("Kiểm tra mã kiểm tra của bản sao lưu …")
    backup_verify(folder, manifest)

    filled = _non_empty_tables(connections["default"])
    if filled and not force:
        raise BackupError(f"CSDL đích không trống ({len(filled)} bảng có dữ liệu, ví dụ {filled[0]}); "
                          "chỉ khôi phục vào CSDL trống, hoặc dùng --force để xóa và ghi đè.")
    if vendor == "postgresql" and table_names(connections["default"]):
        # (SQLite needs no such step: the backup API replaces the whole target file.)
        progress("Xóa các bảng đang có của CSDL đích (--force) …" if filled else "Xóa các bảng trống của CSDL đích …")
        postgres.drop_everything("default")

    progress(f"Khôi phục CSDL từ {manifest['database']['file']} …")
    try:
        if vendor == "sqlite":
            sqlite.restore(folder / manifest["database"]["file"])
        else:
            postgres.restore(folder / manifest["database"]["file"], "default")
        connections.close_all()
        progress(f"Khôi phục {manifest['files_archive']['count']} tệp …")
        files_count = files_restore(default_storage, folder / manifest["files_archive"]["file"])
    except OSError as exc:
        raise BackupError(os_error_message(exc, "khôi phục")) from None

    progress("Tính lại số dòng và mã kiểm tra từng bảng …")
    with _fresh_connection() as connection:
        tables = tables_manifest(connection, _table_progress(progress))
        migrations = migration_state(connection)
    report = RestoreReport(tables=len(tables), rows=sum(t["rows"] for t in tables.values()), files=files_count)
    report.problems += tables_compare(manifest["tables"], tables)
    if migrations != manifest["migrations"]:
        report.problems.append("trạng thái migration khác bản sao lưu")
    report.problems += files_compare(default_storage, manifest["files"])
    progress("Kiểm tra chuỗi nhật ký kiểm toán …")
    report.audit = audit_chain_verify()
    return report
