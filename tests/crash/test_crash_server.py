"""SIGKILL the real server in the middle of a stream of dossier receptions; after a restart every acknowledged
dossier is there and complete, and no half-written dossier exists.

The server is granian with two worker processes, started with the command of scripts/run.sh, against a real
database (SQLite file, or a PostgreSQL database of its own) holding the demo province and catalogue. A few
client threads receive dossiers at the counter through POST /api/v1/onestop/dossiers/receive (multipart with
the procedure's mandatory papers, an officer's session). Once some have been acknowledged (201 with the code),
the whole process group is killed with SIGKILL, requests still in flight. After a restart the database must hold:
every acknowledged dossier with its code, due date, register number, steps, paper files (rows and bytes on disk,
checksums equal), its submit and receive events, its audit entry and exactly one queued Form 01 task (queued in
the dossier's own transaction; the worker, run afterwards, renders each slip once); no dossier in any other state,
no file row without its bytes; daily codes and register numbers consecutive from 1 without repeats; an intact
audit chain. Requests that got no answer may or may not have a dossier; if they do, it is complete.
"""

import hashlib
import http.client
import json
import secrets
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest
from crashkit import ROOT, free_port, granian_command, kill_group

ACKNOWLEDGED_BEFORE_KILL = 8
CLIENTS = 3
START_TIMEOUT = 60

# Run once in `manage.py shell` against the instance: an officer's session (the reception API is for officers
# at the counter) and a procedure of the demo catalogue his agency can receive, tried in a rolled-back
# transaction. The demo directory leaves the agencies' QCVN 102 codes blank; an administrator fills one in.
WORLD = '''
import json
import shutil

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from egov.onestop.models import Procedure, RequiredPaper
from egov.onestop.reception import Applicant, dossier_receive_at_counter, receiving_agency_of
from egov.onestop.tests.factories import pdf_bytes


class DryRun(Exception):
    pass


def papers_of(procedure):
    return [p for p in procedure.current_version.papers.filter(kind=RequiredPaper.KIND_SUBMIT, mandatory=True)
            .order_by("order")]


officer = next(u for u in get_user_model().objects.filter(role="onestop_officer", is_active=True)
               .order_by("username") if receiving_agency_of(u) is not None)
agency = receiving_agency_of(officer)
if not agency.code_qcvn102:
    type(agency).objects.filter(pk=agency.pk).update(code_qcvn102="000.00.05.H12")
    agency.refresh_from_db()
chosen = None
for procedure in Procedure.objects.order_by("code"):
    if getattr(procedure, "current_version", None) is None:
        continue
    try:
        with transaction.atomic():
            dossier_receive_at_counter(
                actor=officer, agency=agency, procedure_code=procedure.code,
                applicant=Applicant(name="Thử", kind="person", id_number="096085001234", address="Cà Mau",
                                    phone="0912345678", email=""),
                papers=[(str(p.uuid), SimpleUploadedFile("a.pdf", pdf_bytes(), "application/pdf"))
                        for p in papers_of(procedure)])
            raise DryRun
    except DryRun:
        chosen = procedure
        break
    except Exception:
        continue
shutil.rmtree(settings.MEDIA_ROOT / "onestop", ignore_errors=True)  # the dry run's files (no dossier yet)
session = SessionStore()
session[SESSION_KEY] = str(officer.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = officer.get_session_auth_hash()
session.save()
print(json.dumps({"session_cookie": settings.SESSION_COOKIE_NAME, "session": session.session_key,
                  "csrf_cookie": settings.CSRF_COOKIE_NAME, "procedure": chosen.code,
                  "papers": [str(p.uuid) for p in papers_of(chosen)]}))
'''


class Server:
    def __init__(self, instance, log: Path):
        self.instance, self.log, self.port = instance, log, free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(granian_command(self.port, workers=2), cwd=ROOT, env=self.instance.env(),
                                        stdin=subprocess.DEVNULL, stdout=self.log.open("a"),
                                        stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"granian exited with {self.process.returncode}:\n{self.log.read_text()[-3000:]}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        pytest.fail(f"/healthz not 200 after {START_TIMEOUT} s:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            kill_group(self.process)


def _multipart(fields: dict[str, str], files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    boundary = f"----egov{secrets.token_hex(8)}"
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, filename, content in files:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     "Content-Type: application/pdf\r\n\r\n".encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Stream:
    """Client threads receiving dossiers one after another until told to stop."""

    def __init__(self, server: Server, world: dict, pdf: bytes):
        self.server, self.world, self.pdf = server, world, pdf
        self.csrf = secrets.token_hex(16)
        self.acknowledged: list[dict] = []  # the 201 answers
        self.unanswered: list[str] = []  # id numbers of requests that got no answer
        self.refused: list[tuple[int, str]] = []
        self.stop = threading.Event()
        self.lock = threading.Lock()

    def _receive(self, id_number: str) -> tuple[int, dict]:
        fields = {"procedure_code": self.world["procedure"], "applicant_name": f"Kiểm Thử Sập {id_number}",
                  "applicant_id_number": id_number, "applicant_phone": "0912345678",
                  "applicant_address": "Phường Tân Thành, tỉnh Cà Mau", "copies": "1"}
        files = [(f"paper_{paper}", f"giay-to-{i}.pdf", self.pdf) for i, paper in enumerate(self.world["papers"])]
        body, content_type = _multipart(fields, files)
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        try:
            conn.request("POST", "/api/v1/onestop/dossiers/receive", body=body, headers={
                "Content-Type": content_type, "X-CSRFToken": self.csrf,
                "Cookie": f"{self.world['session_cookie']}={self.world['session']}; "
                          f"{self.world['csrf_cookie']}={self.csrf}",
            })
            response = conn.getresponse()
            return response.status, json.loads(response.read() or b"{}")
        finally:
            conn.close()

    def _client(self, number: int) -> None:
        sent = 0
        while not self.stop.is_set():
            id_number = f"0960{number:02d}{sent:06d}"
            sent += 1
            try:
                status, body = self._receive(id_number)
            except (OSError, http.client.HTTPException, ValueError):
                with self.lock:
                    self.unanswered.append(id_number)
                return  # the server is gone: in flight when it was killed, or sent just after
            with self.lock:
                if status == 201:
                    self.acknowledged.append(body | {"id_number": id_number})
                else:
                    self.refused.append((status, json.dumps(body, ensure_ascii=False)[:300]))

    def run_until_killed(self, server: Server, acknowledged: int, timeout: float = 120) -> None:
        threads = [threading.Thread(target=self._client, args=(n,), daemon=True) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + timeout
        while len(self.acknowledged) < acknowledged and time.monotonic() < deadline and not self.refused:
            time.sleep(0.05)
        server.stop()  # SIGKILL to the process group, requests in flight
        killed_at = len(self.acknowledged)
        self.stop.set()
        for thread in threads:
            thread.join(timeout=40)
        assert not self.refused, self.refused[:3]
        assert killed_at >= acknowledged, f"only {killed_at} dossiers acknowledged in {timeout} s"


@pytest.fixture(scope="module")
def world(crash_instance):
    return json.loads(crash_instance.manage("shell", "-c", WORLD).stdout.strip().splitlines()[-1])


def test_acknowledged_dossiers_survive_sigkill_of_the_server(crash_instance, world, tmp_path):
    from egov.onestop.tests.factories import pdf_bytes

    db = crash_instance
    assert db.value("SELECT COUNT(*) FROM onestop_dossier") == 0
    server = Server(db, tmp_path / "granian.log")
    server.start()
    stream = Stream(server, world, pdf_bytes("Ban quet giay to kiem thu sap may"))
    try:
        stream.run_until_killed(server, ACKNOWLEDGED_BEFORE_KILL)
        server.start()  # the same command again, on the same data
        after_restart = Stream(server, world, stream.pdf)
        status, body = after_restart._receive("096099000001")
        assert status == 201, body
    finally:
        server.stop()
    acknowledged = stream.acknowledged + [body | {"id_number": "096099000001"}]
    papers = len(world["papers"])
    queued_form01 = [
        (json.loads(value) if isinstance(value, str) else value)["kwargs"]["dossier_id"]
        for (value,) in db.rows("SELECT args_kwargs FROM django_tasks_database_dbtaskresult WHERE task_path = %s",
                                "egov.onestop.tasks.dossier_form01_task")]

    # Every acknowledged dossier is there and complete.
    for ack in acknowledged:
        rows = db.rows("SELECT id, uuid, status, due_at, received_at, register_number, applicant_id_number "
                       "FROM onestop_dossier WHERE code = %s", ack["code"])
        assert len(rows) == 1, f"acknowledged dossier {ack['code']} is missing"
        pk, dossier_uuid, status, due_at, received_at, register_number, id_number = rows[0]
        assert str(uuid.UUID(str(dossier_uuid))) == ack["uuid"] and id_number == ack["id_number"]
        assert status == "received" and due_at and received_at and register_number == ack["register_number"]
        assert db.value("SELECT COUNT(*) FROM onestop_dossierstep WHERE dossier_id = %s", pk) == len(ack["steps"])
        assert sorted(k for (k,) in db.rows("SELECT kind FROM onestop_dossierevent WHERE dossier_id = %s", pk)) == [
            "receive", "submit"]
        files = db.rows("SELECT role, form_code FROM onestop_dossierfile WHERE dossier_id = %s", pk)
        assert sorted(files) == [("paper", "")] * papers, files
        assert queued_form01.count(pk) == 1, "Form 01 task not queued with the dossier"
        assert db.value("SELECT COUNT(*) FROM core_auditentry WHERE action = %s AND object_id = %s",
                        "onestop.dossier.receive", ack["code"]) == 1

    # Nothing half-written, whether its request was answered or not.
    dossiers = db.rows("SELECT id, code, status, register_number FROM onestop_dossier")
    assert all(status == "received" and code for _, code, status, _ in dossiers), dossiers
    for pk, code, _, _ in dossiers:
        assert db.value("SELECT COUNT(*) FROM onestop_dossierevent WHERE dossier_id = %s", pk) == 2, code
        assert db.value("SELECT COUNT(*) FROM onestop_dossierstep WHERE dossier_id = %s", pk) >= 2, code
        assert db.value("SELECT COUNT(*) FROM onestop_dossierfile WHERE dossier_id = %s", pk) == papers, code
    assert sorted(queued_form01) == sorted(pk for pk, *_ in dossiers)  # no task without its dossier, nor the reverse

    # The worker renders every slip, once.
    assert db.manage("run_worker", "--batch").returncode == 0
    for pk, code, _, _ in dossiers:
        assert db.value("SELECT COUNT(*) FROM onestop_dossierfile WHERE dossier_id = %s AND role = 'form' "
                        "AND form_code = '01'", pk) == 1, code
    media = db.data_dir / "media"
    for name, sha256 in db.rows("SELECT file, sha256 FROM onestop_dossierfile"):
        path = media / name
        assert path.is_file(), f"file row without its bytes: {name}"
        assert hashlib.sha256(path.read_bytes()).hexdigest() == sha256, name
    in_flight_kept = {ack["code"] for ack in acknowledged} ^ {code for _, code, _, _ in dossiers}

    # Daily codes and register numbers: consecutive from 1, none repeated, counters where they left off.
    sequences = sorted(int(code.rsplit("-", 1)[1]) for _, code, _, _ in dossiers)
    assert sequences == list(range(1, len(dossiers) + 1)), sequences
    assert db.value("SELECT SUM(last_value) FROM onestop_dossiercounter") == len(dossiers)
    assert sorted(r for *_, r in dossiers) == list(range(1, len(dossiers) + 1))
    assert db.manage("audit_verify").returncode == 0

    print(f"\n{len(stream.acknowledged)} acknowledged before SIGKILL, {len(stream.unanswered)} requests unanswered, "
          f"{len(in_flight_kept)} of those committed anyway (complete); "
          f"{sum(1 for p in media.rglob('*') if p.is_file()) - len(db.rows('SELECT id FROM onestop_dossierfile'))} "
          "stored files without a row (written before the transaction was killed)")
