"""A commune-level procedure offered online, two communes, a department, their officers and two citizens.

Built with the ORM and the one-stop test factories (real small PDF/PNG files made byte by byte)."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from egov.eservices.services import citizen_register
from egov.onestop.models import EventKind, OnlineMode, ProcedureVersion, RequiredPaper
from egov.onestop.status import DossierStatus
from egov.onestop.tests import factories
from egov.onestop.workflow import dossier_lock, dossier_transition

PASSWORD = "Mat-khau-cong-dan-2025"
FORM_SCHEMA = [
    {"name": "ho_ten_tre", "label": "Họ, chữ đệm, tên của trẻ", "type": "text", "required": True},
    {"name": "ngay_sinh", "label": "Ngày sinh của trẻ", "type": "date", "required": True},
    {"name": "gioi_tinh", "label": "Giới tính", "type": "select", "choices": ["Nam", "Nữ"], "required": True},
    {"name": "can_nang", "label": "Cân nặng (kg)", "type": "number", "required": False},
    {"name": "ghi_chu", "label": "Ghi chú", "type": "textarea", "required": False},
]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The lookup cache and rate counters live in the process cache: start every test from empty."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db):
    province = factories.province_make()
    commune = factories.agency_make("XA-TAN-THANH", "Ủy ban nhân dân xã Tân Thành", kind="xa",
                                    code_qcvn102="000.01.12.H12", code_qd20="H12.01", parent=province)
    other_commune = factories.agency_make("PHUONG-AN-XUYEN", "Ủy ban nhân dân phường An Xuyên", kind="phuong",
                                          code_qcvn102="000.02.12.H12", code_qd20="H12.02", parent=province)
    department = factories.agency_make("STP", "Sở Tư pháp", parent=province)
    procedure = factories.procedure_make("1.001193", "Đăng ký khai sinh", form_schema=FORM_SCHEMA)
    procedure.level = "xa"
    procedure.save()
    ProcedureVersion.objects.filter(procedure=procedure).update(online_mode=OnlineMode.FULL, online_result=True)
    offline = factories.procedure_make("2.000635", "Cấp bản sao trích lục hộ tịch")
    province_level = factories.procedure_make("1.000001", "Chứng thực bản sao điện tử", papers=(
        {"name": "Bản chính giấy tờ cần chứng thực", "originals": 1},))
    ProcedureVersion.objects.filter(procedure=province_level).update(
        online_mode=OnlineMode.PARTIAL, implementing_agency_text="Sở Tư pháp tỉnh Cà Mau")
    officer = factories.officer_make(commune, "motcua.tanthanh")
    other_officer = factories.officer_make(other_commune, "motcua.anxuyen")
    citizen = citizen_register(username="nguyenvanan", full_name="Nguyễn Văn An", id_number="096085000123",
                               phone="0912345678", email="an@example.vn", address="Ấp 1, xã Tân Thành",
                               password=PASSWORD)
    other_citizen = citizen_register(username="tranthibinh", full_name="Trần Thị Bình", id_number="096190000456",
                                     phone="0987654321", password=PASSWORD)
    for item in (procedure, offline, province_level):
        item.refresh_from_db()
    return {
        "province": province, "commune": commune, "other_commune": other_commune, "department": department,
        "procedure": procedure, "offline": offline, "province_level": province_level, "officer": officer,
        "other_officer": other_officer, "citizen": citizen, "other_citizen": other_citizen,
    }


def papers_of(procedure, *, skip_optional: bool = True) -> list[RequiredPaper]:
    papers = procedure.current_version.papers.filter(kind=RequiredPaper.KIND_SUBMIT).order_by("order")
    return [paper for paper in papers if paper.mandatory or not skip_optional]


def declaration(**overrides) -> dict:
    data = {"ho_ten_tre": "Nguyễn Văn Bé", "ngay_sinh": "2025-06-01", "gioi_tinh": "Nam", "can_nang": 3.2}
    data.update(overrides)
    return data


@pytest.fixture
def submit(world):
    """Submit online through the service as ``citizen`` (default: the world's first citizen)."""
    from egov.eservices.services import dossier_submit_online

    def make(citizen=None, **kwargs):
        procedure = world["procedure"]
        papers = {str(p.uuid): factories.upload(f"giay-{p.order}.pdf") for p in papers_of(procedure)}
        return dossier_submit_online(
            citizen=citizen or world["citizen"], procedure_code=procedure.code, form_data=declaration(),
            papers=papers, receiving_agency_code=kwargs.pop("agency", world["commune"].code), **kwargs)

    return make


def accept(dossier, officer):
    """The counter's real acceptance (reception service): generated code, due date from the calendar, Form 01."""
    from egov.onestop.reception import dossier_accept

    return dossier_accept(actor=officer, dossier=dossier)


def receive(dossier, officer, *, code: str = "000.01.12.H12-250714-0007", due_days: int = 3):
    """A quick stand-in for acceptance with a chosen code (no steps, no Form 01) where only the status and
    dates matter; ``accept`` runs the real reception service."""
    with transaction.atomic():
        dossier = dossier_lock(dossier)
        now = timezone.now()
        dossier.code = code
        dossier.received_at = now
        dossier.received_by = officer
        dossier.original_due_at = dossier.due_at = now + dt.timedelta(days=due_days)
        dossier_transition(dossier=dossier, to=DossierStatus.RECEIVED, kind=EventKind.RECEIVE, actor=officer,
                           deadline_at=dossier.due_at)
    dossier.refresh_from_db()
    return dossier


def move(dossier, to: str, kind: str, actor, **kwargs):
    with transaction.atomic():
        dossier = dossier_lock(dossier)
        dossier_transition(dossier=dossier, to=to, kind=kind, actor=actor, **kwargs)
    dossier.refresh_from_db()
    return dossier
