"""Test data for search, made with the ORM: two agencies with officials of each role, registers and documents.
Each test gets its own index (``search_index`` fixture in the test modules) under the run's data folder."""

import datetime as dt
import uuid
from itertools import count

from django.utils import timezone

from egov.accounts.roles import Role
from egov.documents.models import (
    Assignment,
    DocumentFile,
    DocumentRegister,
    DocumentType,
    IncomingDocument,
    OutgoingDocument,
)
from egov.documents.search_index import search_index_refresh
from egov.onestop.tests.factories import PASSWORD, agency_make, unit_make, user_make

_numbers = count(1)

__all__ = ["PASSWORD", "SearchWorld", "incoming_make", "index_now", "outgoing_make"]


class SearchWorld:
    """Agency A (Sở Tư pháp) and B (Sở Tài nguyên và Môi trường), each with a clerk, a leader, specialists."""

    def __init__(self):
        self.a = agency_make("STP", "Sở Tư pháp")
        self.b = agency_make("STNMT", "Sở Tài nguyên và Môi trường", code_qcvn102="000.00.06.H12",
                             code_qd20="H12.06")
        self.unit_a = unit_make(self.a, "Phòng Hành chính tư pháp", "HCTP")
        self.clerk_a = user_make("vanthu.a", role=Role.CLERK, agency=self.a)
        self.leader_a = user_make("lanhdao.a", role=Role.LEADER, agency=self.a)
        self.specialist_a = user_make("chuyenvien.a", role=Role.SPECIALIST, agency=self.a, unit=self.unit_a)
        self.other_specialist_a = user_make("chuyenvien2.a", role=Role.SPECIALIST, agency=self.a)
        self.clerk_b = user_make("vanthu.b", role=Role.CLERK, agency=self.b)
        self.specialist_b = user_make("chuyenvien.b", role=Role.SPECIALIST, agency=self.b)
        self.decision = DocumentType.objects.get_or_create(
            code="quyet-dinh", defaults={"name": "Quyết định", "abbreviation": "QĐ"})[0]
        self.letter = DocumentType.objects.get_or_create(code="cong-van", defaults={"name": "Công văn"})[0]
        self.in_a = DocumentRegister.objects.create(agency=self.a, direction="incoming", name="Sổ văn bản đến")
        self.in_a_secret = DocumentRegister.objects.create(agency=self.a, direction="incoming", kind="secret",
                                                           name="Sổ văn bản đến mật")
        self.out_a = DocumentRegister.objects.create(agency=self.a, direction="outgoing", name="Sổ văn bản đi")
        self.in_b = DocumentRegister.objects.create(agency=self.b, direction="incoming", name="Sổ văn bản đến")


def incoming_make(agency, register, summary: str, *, body: str = "", number_notation: str = "",
                  issuer: str = "Ủy ban nhân dân tỉnh Cà Mau", issued: dt.date = dt.date(2025, 3, 10),
                  doc_type=None, secrecy: int = 0, status: str = "registered") -> IncomingDocument:
    doc = IncomingDocument.objects.create(
        agency=agency, register=register, arrival_year=2025, arrival_number=next(_numbers),
        received_at=timezone.now(), summary=summary, number_notation=number_notation, issuer_name=issuer,
        issued_date=issued, document_type=doc_type, type_name=doc_type.name if doc_type else "",
        secrecy=secrecy, status=status)
    if body:
        DocumentFile.objects.create(agency=agency, incoming=doc, file=f"documents/test/{uuid.uuid4().hex}.pdf",
                                    original_name="van-ban.pdf", text=body, text_source="pdf")
    return doc


def outgoing_make(agency, drafter, summary: str, *, status: str = "issued", number_notation: str = "",
                  issued: dt.date = dt.date(2025, 4, 1), body: str = "", register=None) -> OutgoingDocument:
    doc = OutgoingDocument.objects.create(
        agency=agency, drafted_by=drafter, summary=summary, status=status, number_notation=number_notation,
        issued_date=issued, issuer_name=agency.name, register=register)
    if body:
        DocumentFile.objects.create(agency=agency, outgoing=doc, file=f"documents/test/{uuid.uuid4().hex}.pdf",
                                    original_name="du-thao.pdf", text=body, text_source="docx")
    return doc


def assign(document, assigned_by, *, assignee=None, unit=None, role: str = "lead") -> Assignment:
    return Assignment.objects.create(incoming=document, assignee=assignee, unit=unit, assigned_by=assigned_by,
                                     role=role)


def index_now(*documents) -> None:
    """Index synchronously (what the task does on commit), for tests that run inside a rolled-back transaction."""
    keys = [f"{'incoming' if isinstance(d, IncomingDocument) else 'outgoing'}:{d.uuid}" for d in documents]
    search_index_refresh(keys=keys)
