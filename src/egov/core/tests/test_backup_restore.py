"""Backup and restore through the real stack, on whichever database DATABASE_URL points at.

Realistic data is made with the project's own services (demo province, dossiers received at the counter with
their uploaded papers and Form 01, audit entries); ``manage.py backup`` copies it; ``manage.py restore`` runs in
another process against an EMPTY target (a new SQLite file, or a new PostgreSQL database on the same server).
The source keeps writing audit entries while the backup runs. The target is then read independently in this
process and compared table by table (row count and content checksum) with the source and with the manifest,
file by file by SHA-256."""

import copy
import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django.db.utils import load_backend

from egov.core.audit import audit_record
from egov.core.backup.manifest import migration_state, tables_manifest
from egov.core.models import AuditEntry
from egov.directory.demo import load_demo
from egov.directory.models import Agency
from egov.onestop import reception
from egov.onestop.models import Dossier, DossierFile
from egov.onestop.tests import factories as f

ROOT = Path(__file__).resolve().parents[4]
VN = ZoneInfo("Asia/Ho_Chi_Minh")
_SCRUBBED = {"DATABASE_URL", "REDIS_URL", "STORAGE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}


# --- the empty target: a new SQLite file or a new PostgreSQL database --------------------------------------

class Target:
    """An empty instance (database + data folder) that ``manage.py restore`` writes into."""

    def __init__(self, tmp_path: Path, name: str, engine: str | None = None):
        self.data_dir = tmp_path / name
        self.data_dir.mkdir()
        self.db_name = None
        self._connection = None
        self.env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED and not k.startswith("AWS_")}
        self.env.update({"DJANGO_SETTINGS_MODULE": "egov.conf.settings.dev", "EGOV_DATA_DIR": str(self.data_dir)})
        if (engine or connection.vendor) == "postgresql":
            self.db_name = f"egov_restore_{uuid.uuid4().hex[:12]}"
            with self._admin() as admin:
                admin.execute(f'CREATE DATABASE "{self.db_name}"')
            self.env["DATABASE_URL"] = self._url(self.db_name)

    @staticmethod
    def _params() -> dict:
        return connection.settings_dict

    def _url(self, db_name: str) -> str:
        s = self._params()
        auth = quote(s.get("USER") or "", safe="")
        if s.get("PASSWORD"):
            auth += ":" + quote(s["PASSWORD"], safe="")
        host = s.get("HOST") or "localhost"
        port = f":{s['PORT']}" if s.get("PORT") else ""
        return f"postgres://{auth}@{host}{port}/{db_name}"

    def _admin(self):
        s = self._params()
        return psycopg.connect(dbname="postgres", user=s.get("USER") or None, password=s.get("PASSWORD") or None,
                               host=s.get("HOST") or None, port=s.get("PORT") or None, autocommit=True)

    def restore(self, backup: Path, *extra: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, str(ROOT / "manage.py"), "restore", str(backup), *extra], cwd=ROOT,
                              env=self.env, capture_output=True, text=True, timeout=300)

    def connection(self):
        """A connection of this process to the target, to read it independently of the restore command."""
        if self._connection is None:
            params = copy.deepcopy(connection.settings_dict)
            if self.db_name:
                params["NAME"] = self.db_name
            else:
                params.update(NAME=str(self.data_dir / "egov.sqlite3"), OPTIONS={"timeout": 20})
            self._connection = load_backend(params["ENGINE"]).DatabaseWrapper(params, "egov_restore_target")
            connections["egov_restore_target"] = self._connection  # this thread only, not in DATABASES
        return self._connection

    def is_untouched(self) -> bool:
        if self.db_name:
            with psycopg.connect(self._url(self.db_name)) as conn:
                count = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0]
            tables_absent = count == 0
        else:
            tables_absent = not (self.data_dir / "egov.sqlite3").exists()
        return tables_absent and not files_of(self.data_dir / "media")

    def drop(self) -> None:
        if self._connection is not None:
            self._connection.close()
            del connections["egov_restore_target"]
        if self.db_name:
            with self._admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')


@pytest.fixture(autouse=True)
def own_media(settings, tmp_path_factory):
    """Uploads of this test only (the session's media folder holds every other test's files)."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    return settings.MEDIA_ROOT


@pytest.fixture
def target(tmp_path):
    made = []

    def make(name: str = "dich") -> Target:
        made.append(Target(tmp_path, name))
        return made[-1]

    yield make
    for item in made:
        item.drop()


def files_of(root: Path) -> dict[str, str]:
    """Relative path -> SHA-256 of every file under ``root``."""
    if not root.exists():
        return {}
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


# --- realistic source data ----------------------------------------------------------------------------------

def province_with_dossiers() -> dict:
    """The demo province, a procedure, three dossiers received at the counter (papers, Form 01) and audit
    entries with Vietnamese text, decimals, dates and nested JSON."""
    load_demo()
    province = Agency.objects.get(code_qd20="H12")  # the demo province committee
    agency = f.agency_make("SL-STP", "Sở Tư pháp (sao lưu)", code_qcvn102="000.00.97.H12", code_qd20="H12.97",
                           parent=province)
    f.unit_make(agency)
    officer = f.officer_make(agency, username="saoluu.motcua", full_name="Lê Thị Sao Lưu")
    procedure = f.procedure_make("9.000001", "Thủ tục đăng ký khai sinh (sao lưu)")
    monday = dt.datetime(2025, 7, 14, 9, 0, tzinfo=VN)
    for index, name in enumerate(["Nguyễn Văn Ấn", "Trần Thị Bé", "Lê Đức Cường"]):
        reception.dossier_receive_at_counter(
            actor=officer, agency=agency, procedure_code=procedure.code,
            applicant=reception.Applicant(name=name, id_number=f"09608500123{index}", address="Phường Tân Thành",
                                          phone="0912 345 678", email=f"nguoi{index}@example.vn"),
            papers=f.papers_for(procedure), received_at=monday + dt.timedelta(hours=index),
        )
    audit_record(actor=officer, action="backup_test.note", object_type="test", object_id="1",
                 after={"ghi_chú": "Đã kiểm tra hồ sơ", "phí": Decimal("8000.50"), "ngày": dt.date(2025, 7, 14),
                        "chi_tiết": {"b": [1, 2.5, None], "a": "ấ"}})
    assert Dossier.objects.count() == 3 and DossierFile.objects.exists()
    return {"audit": AuditEntry.objects.count()}


# --- tests ----------------------------------------------------------------------------------------------------

class AuditWriter(threading.Thread):
    """The application keeps writing while the backup runs: audit entries, each in its own transaction."""

    def __init__(self):
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.written = 0
        self.error: Exception | None = None

    def run(self):
        try:
            while not self.stop.is_set():
                audit_record(actor=None, action="backup_test.concurrent", object_type="test",
                             object_id=str(self.written), after={"n": self.written})
                self.written += 1
                time.sleep(0.005)
        except Exception as exc:  # reported by the test, not lost in the thread
            self.error = exc
        finally:
            connections.close_all()


@pytest.mark.django_db(transaction=True)  # committed data, visible to the backup's own connection
def test_restore_into_an_empty_database_gives_back_every_table_and_file(tmp_path, target):
    source = province_with_dossiers()
    backup = tmp_path / "sao-luu"
    writer = AuditWriter()
    writer.start()
    while writer.written < 3 and writer.is_alive():
        time.sleep(0.01)
    before = writer.written
    try:
        call_command("backup", output=str(backup), stdout=open(os.devnull, "w"))  # noqa: SIM115
    finally:
        during = writer.written - before
        writer.stop.set()
        writer.join()
    assert writer.error is None and during > 0  # entries were committed while the backup ran
    assert sorted(p.name for p in backup.iterdir()) == sorted(
        ["database.sqlite3" if connection.vendor == "sqlite" else "database.dump", "files.tar", "manifest.json",
         "manifest.json.sha256"])
    manifest = json.loads((backup / "manifest.json").read_text(encoding="utf-8"))
    # Computed here, independently of the backup command, once the writer has stopped.
    expected_tables = tables_manifest(connection)
    expected_files = files_of(Path(settings.MEDIA_ROOT))
    assert any(name.startswith("onestop/") for name in expected_files)  # the dossiers' papers and Form 01

    empty = target()
    result = empty.restore(backup)
    assert result.returncode == 0, result.stdout + result.stderr

    found_tables = tables_manifest(empty.connection())
    assert found_tables == manifest["tables"]  # the dump holds exactly what the manifest describes
    audit_tables = {"core_auditentry", "core_auditchainhead"}  # still written while and after the copy was taken
    assert set(found_tables) == set(expected_tables)
    different = {t: (expected_tables[t], found_tables[t]) for t in expected_tables
                 if t not in audit_tables and expected_tables[t] != found_tables[t]}
    assert not different
    assert found_tables["onestop_dossier"]["rows"] == 3
    # The audit chain restored is a prefix of the source's, cut at one consistent moment of the backup.
    kept = found_tables["core_auditentry"]["rows"]
    assert source["audit"] + before <= kept <= expected_tables["core_auditentry"]["rows"]
    restored_chain = list(AuditEntry.objects.using(empty.connection().alias).order_by("seq")
                          .values_list("seq", "entry_hash"))
    assert restored_chain == list(AuditEntry.objects.filter(seq__lte=kept).order_by("seq")
                                  .values_list("seq", "entry_hash"))
    assert f"nhật ký kiểm toán toàn vẹn ({kept} bản ghi)" in result.stdout
    assert migration_state(empty.connection()) == migration_state(connection)
    assert files_of(empty.data_dir / "media") == expected_files

    # A second restore into the now filled database is refused, and changes nothing.
    again = empty.restore(backup)
    assert again.returncode != 0
    lines = [line for line in again.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "CSDL đích không trống" in lines[0] and "--force" in lines[0], again.stderr
    assert tables_manifest(empty.connection()) == found_tables


@pytest.mark.django_db  # the backup's own connection sees the tables (not this test's uncommitted rows)
def test_a_corrupted_backup_is_refused_before_anything_is_written_and_a_mismatch_is_reported(tmp_path, target):
    backup = tmp_path / "sao-luu"
    call_command("backup", output=str(backup), stdout=open(os.devnull, "w"))  # noqa: SIM115
    dump = next(p for p in backup.iterdir() if p.name.startswith("database."))
    original = dump.read_bytes()
    data = bytearray(original)
    data[len(data) // 2] ^= 0x01  # one byte changed in the middle of the dump
    dump.write_bytes(bytes(data))

    empty = target()
    result = empty.restore(backup)
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Bản sao lưu hỏng" in lines[0] and dump.name in lines[0], result.stderr
    assert "Traceback" not in result.stderr
    assert empty.is_untouched()

    # The check after writing is not a formality: a manifest (re-sealed) that disagrees with the dump about one
    # table's content is reported, table named, exit non-zero.
    dump.write_bytes(original)
    manifest_path = backup / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["tables"]["django_content_type"]["sha256"] = "0" * 64
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    digest = hashlib.sha256(manifest_path.read_bytes()).hexdigest()
    (backup / "manifest.json.sha256").write_text(f"{digest}  manifest.json\n", encoding="utf-8")
    result = empty.restore(backup)
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "bảng django_content_type: nội dung khác bản sao lưu" in lines[0], result.stderr
    assert "khác: bảng django_content_type" in result.stdout

    if connection.vendor == "postgresql":  # a PostgreSQL backup is not restored into SQLite (nor the reverse)
        sqlite_target = Target(tmp_path, "sqlite-dich", engine="sqlite")
        result = sqlite_target.restore(backup)
        assert result.returncode != 0 and "chỉ khôi phục được vào cùng loại CSDL" in result.stderr, result.stderr
        assert sqlite_target.is_untouched()


@pytest.mark.django_db
def test_a_failed_backup_leaves_no_folder_that_looks_complete(tmp_path):
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    broken = media / f"hong-{uuid.uuid4().hex}.pdf"
    broken.symlink_to(tmp_path / "khong-ton-tai.pdf")  # listed by the storage, unreadable: the backup fails late
    try:
        with pytest.raises(Exception, match="Sao lưu thất bại"):
            call_command("backup", output=str(tmp_path / "sao-luu"), stdout=open(os.devnull, "w"))  # noqa: SIM115
    finally:
        broken.unlink()
    assert list(tmp_path.iterdir()) == []  # neither the destination nor the temporary folder is left
    with pytest.raises(Exception, match="nằm trong thư mục tệp tải lên"):  # it would archive itself
        call_command("backup", output=str(media / "sao-luu"), stdout=open(os.devnull, "w"))  # noqa: SIM115


def test_backup_of_an_unreachable_database_is_one_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED}
    env.update({"DJANGO_SETTINGS_MODULE": "egov.conf.settings.dev", "EGOV_DATA_DIR": str(tmp_path / "data"),
                "DATABASE_URL": "postgres://postgres:bi-mat@127.0.0.1:1/egov"})
    result = subprocess.run([sys.executable, str(ROOT / "manage.py"), "backup", "--output", str(tmp_path / "b")],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Lỗi cơ sở dữ liệu"), result.stderr
    assert "bi-mat" not in result.stdout + result.stderr
    assert not (tmp_path / "b").exists() and not list(tmp_path.glob(".b.partial-*"))
