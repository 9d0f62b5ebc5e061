"""The parts of backup that need no data: value normalisation, libpq connection strings (several hosts, the
password kept out of the command line), the choice of pg_dump, and a multi-host DATABASE_URL end to end."""

import datetime as dt
import decimal
import errno
import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import connection
from psycopg.conninfo import conninfo_to_dict

from egov.core.backup.errors import BackupError, os_error_message
from egov.core.backup.files import files_compare, files_dump, files_restore
from egov.core.backup.manifest import _bool, _date, _datetime, _uuid, normalise, tables_compare, tables_manifest
from egov.core.backup.postgres import client_tool, connection_args

ROOT = Path(__file__).resolve().parents[4]


def test_values_normalise_to_the_same_text_whatever_the_engine_returned():
    saigon = dt.datetime(2025, 7, 14, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    assert normalise(saigon) == normalise(saigon.astimezone(dt.UTC)) == "2025-07-14T02:00:00+00:00"
    assert normalise(decimal.Decimal("8000.50")) == "8000.50"
    assert normalise(uuid.UUID(int=1)) == "00000000-0000-0000-0000-000000000001"
    assert normalise(memoryview(b"\x00\xff")) == normalise(b"\x00\xff") == "00ff"
    assert normalise({"b": [dt.date(2025, 1, 2), 1.5], "a": None}) == {"b": ["2025-01-02", "1.5"], "a": None}
    assert normalise(dt.timedelta(hours=1)) == "3600000000us"
    assert normalise(True) is True


def test_columns_read_the_same_from_sqlite_text_and_postgresql_objects():
    """SQLite hands back stored text (or naive UTC datetimes), PostgreSQL typed objects: same canonical value."""
    aware = dt.datetime(2025, 7, 14, 9, 0, 0, 5, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    assert {_datetime(aware), _datetime(aware.astimezone(dt.UTC)), _datetime(dt.datetime(2025, 7, 14, 2, 0, 0, 5)),
            _datetime("2025-07-14 02:00:00.000005")} == {"2025-07-14T02:00:00.000005+00:00"}
    value = uuid.uuid4()
    assert _uuid(value) == _uuid(value.hex) == _uuid(str(value).upper()) == value.hex
    assert _bool(1) is _bool(True) is True and _bool(None) is None
    assert _date("2025-07-14") == _date(dt.date(2025, 7, 14)) == "2025-07-14"


def test_table_differences_are_named_one_line_each():
    expected = {"a": {"rows": 2, "sha256": "x"}, "b": {"rows": 1, "sha256": "y"}, "c": {"rows": 0, "sha256": "z"}}
    found = {"a": {"rows": 2, "sha256": "x"}, "b": {"rows": 1, "sha256": "w"}, "d": {"rows": 4, "sha256": "v"}}
    assert tables_compare(expected, found) == [
        "bảng b: nội dung khác bản sao lưu (cùng 1 dòng)", "thiếu bảng c", "bảng thừa d (4 dòng)"]


def test_connection_string_for_several_hosts_writes_to_the_primary_and_hides_the_password():
    settings_dict = {"NAME": "egov", "USER": "egov", "PASSWORD": "bi mat'@", "HOST": "db1,db2", "PORT": 5432,
                     "OPTIONS": {"sslmode": "require", "isolation_level": 1, "pool": False}}
    conninfo, env = connection_args(settings_dict, read_write=True)
    params = conninfo_to_dict(conninfo)
    assert params == {"dbname": "egov", "user": "egov", "host": "db1,db2", "port": "5432", "sslmode": "require",
                      "target_session_attrs": "read-write"}
    assert env == {"PGPASSWORD": "bi mat'@"} and "bi mat" not in conninfo
    # Reading: the host that was actually reached, and what the operator asked for is kept.
    settings_dict["OPTIONS"]["target_session_attrs"] = "standby"
    conninfo, _ = connection_args(settings_dict, host="db2", port=5433)
    assert conninfo_to_dict(conninfo)["host"] == "db2"
    assert conninfo_to_dict(conninfo)["target_session_attrs"] == "standby"


def test_pg_dump_for_the_server_version_or_a_clear_error():
    tool = client_tool("pg_dump", 12)
    assert Path(tool).name == "pg_dump" and os.access(tool, os.X_OK)
    with pytest.raises(BackupError, match="Không tìm thấy pg_dump cho PostgreSQL 99: cài gói postgresql-client-99"):
        client_tool("pg_dump", 99)


@pytest.mark.postgres_only
@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="several hosts in DATABASE_URL: PostgreSQL only")
def test_backup_through_a_multi_host_url_whose_first_host_refuses(tmp_path):
    """127.0.0.2 refuses connections here; libpq moves on to the next host, and pg_dump reads the snapshot on the
    host that was actually reached, so the dump and the manifest agree."""
    s = connection.settings_dict
    user = s.get("USER") or "postgres"
    auth = f"{user}:{s['PASSWORD']}" if s.get("PASSWORD") else user
    url = f"postgres://{auth}@127.0.0.2,{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}"
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update({"DJANGO_SETTINGS_MODULE": "egov.conf.settings.dev", "EGOV_DATA_DIR": str(tmp_path / "data"),
                "DATABASE_URL": url})
    out = tmp_path / "sao-luu"
    result = subprocess.run([sys.executable, str(ROOT / "manage.py"), "backup", "--output", str(out)], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["engine"] == "postgresql" and (out / "database.dump").stat().st_size > 0
    assert manifest["tables"] == tables_manifest(connection)  # what this test database holds (committed rows)


def test_a_full_disk_is_named_in_one_line():
    assert os_error_message(OSError(errno.ENOSPC, "No space left on device"), "ghi bản sao lưu") == (
        "Không đủ chỗ trống trên đĩa khi ghi bản sao lưu.")


def test_files_round_trip_through_storages_with_nested_vietnamese_names(tmp_path):
    source = FileSystemStorage(location=tmp_path / "nguon")
    names = ["onestop/2025/07/Tờ khai đăng ký.pdf", "onestop/2025/07/giay-chung-sinh.png", "goc.txt"]
    for index, name in enumerate(names):
        source.save(name, ContentFile(f"nội dung {index}".encode() * (index + 1)))
    entries = files_dump(source, tmp_path / "files.tar")
    assert sorted(e["path"] for e in entries) == sorted(names)
    target = FileSystemStorage(location=tmp_path / "dich")
    target.save("goc.txt", ContentFile(b"ban cu"))  # a file already there under the same name is replaced
    assert files_restore(target, tmp_path / "files.tar") == 3
    assert files_compare(target, entries) == []
    (tmp_path / "dich" / "goc.txt").write_bytes(b"sua")
    assert files_compare(target, entries) == ["tệp goc.txt khác bản sao lưu"]


def test_an_archive_cannot_write_outside_the_storage(tmp_path):
    archive = tmp_path / "files.tar"
    with tarfile.open(archive, "w") as tar:
        info = tarfile.TarInfo("../ngoai.txt")
        info.size = 2
        tar.addfile(info, io.BytesIO(b"xx"))
    with pytest.raises(BackupError, match="Tên tệp không hợp lệ"):
        files_restore(FileSystemStorage(location=tmp_path / "dich"), archive)
    assert not (tmp_path / "ngoai.txt").exists()
