"""The demo catalogue (40 real procedures) and the catalogue management commands."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from egov.core.models import AuditEntry
from egov.onestop import catalogue as cat
from egov.onestop.demo import DATA_FILE, demo_catalogue_load
from egov.onestop.models import Field, Procedure, ProcedureVersion
from egov.onestop.tests.test_catalogue import make_dossier

pytestmark = pytest.mark.django_db


def test_sample_data_is_in_the_repository():
    records = json.loads(DATA_FILE.read_text(encoding="utf-8"))["procedures"]
    assert len(records) == 40 and records[0]["code"] == "1.001193"


def test_demo_load_maps_the_40_procedures():
    report = demo_catalogue_load()
    assert len(report.created) == 40 and len(report.fields_created) == 16
    assert Procedure.objects.count() == 40 and ProcedureVersion.objects.count() == 40
    assert cat.procedures_public().count() == 40
    birth = Procedure.objects.get(code="1.001193")
    version = birth.current_version
    assert birth.name == "Thủ tục đăng ký khai sinh" and birth.field.name == "Hộ tịch" and birth.level == "xa"
    assert version.processing_days == Decimal("1.0") and version.online_mode == "full"
    assert "không kèm đơn vị" in version.notes  # the source lost the unit: read as working days, and said so
    assert [s.role for s in version.steps.all()] == ["onestop_officer", "specialist", "leader", "onestop_officer"]
    assert {f["name"] for f in version.form_schema} >= {"ho_ten_tre", "ngay_sinh", "gioi_tinh", "ho_ten_me"}
    assert version.papers.count() == 8 and version.papers.filter(kind="xuat_trinh").count() == 2
    assert sum(1 for p in Procedure.objects.select_related("current_version") if p.current_version.form_schema) >= 6
    # fees decide the online mode: free and online → full; online with a fee → partial; counter only → none
    assert Procedure.objects.get(code="1.004222").current_version.online_mode == "partial"
    assert Procedure.objects.get(code="2.000815").current_version.online_mode == "none"
    # a "trong ngày" procedure whose source gives no time, and a several-modes one (first counter mode)
    assert Procedure.objects.get(code="2.000815").current_version.processing_days == Decimal("0.0")
    assert Procedure.objects.get(code="1.013076").current_version.processing_days == Decimal("2.0")
    # a few procedures consult other agencies or cross them
    land = Procedure.objects.get(code="1.013831").current_version
    assert land.consultation_allowed and land.steps.filter(is_consultation=True).count() == 1
    assert Procedure.objects.filter(current_version__consultation_allowed=True).count() >= 4
    assert Procedure.objects.get(code="3.000333").current_version.processing_days == Decimal("10.0")


def test_demo_load_is_idempotent():
    demo_catalogue_load()
    audit_count = AuditEntry.objects.count()
    report = demo_catalogue_load()
    assert len(report.unchanged) == 40 and not (report.created or report.updated or report.new_versions)
    assert ProcedureVersion.objects.count() == 40 and Field.objects.count() == 16
    assert AuditEntry.objects.count() == audit_count


def test_demo_reload_never_edits_a_version_that_has_dossiers():
    demo_catalogue_load()
    version = Procedure.objects.get(code="1.001193").current_version
    dossier = make_dossier(version)
    ProcedureVersion.objects.filter(pk=version.pk).update(legal_basis="Sửa tay")  # the data differs now
    report = demo_catalogue_load()
    assert report.new_versions == ["1.001193 v2"] and len(report.unchanged) == 39
    dossier.refresh_from_db()
    assert dossier.procedure_version_id == version.pk
    assert Procedure.objects.get(code="1.001193").current_version.number == 2


def test_load_demo_command():
    out = StringIO()
    call_command("onestop_load_demo", stdout=out)
    assert "40 thủ tục mới" in out.getvalue()
    out = StringIO()
    call_command("onestop_load_demo", stdout=out)
    assert "40 không đổi" in out.getvalue()


def test_export_and_import_commands(tmp_path):
    demo_catalogue_load()
    json_file, xlsx_file = tmp_path / "danh-muc.json", tmp_path / "danh-muc.xlsx"
    call_command("catalogue_export", str(json_file), stdout=StringIO())
    call_command("catalogue_export", str(xlsx_file), stdout=StringIO())
    assert len(json.loads(json_file.read_text(encoding="utf-8"))["procedures"]) == 40
    out = StringIO()
    call_command("catalogue_import", str(xlsx_file), stdout=out)
    assert "40 không đổi" in out.getvalue()


def test_commands_fail_with_vietnamese_errors(tmp_path):
    bad = tmp_path / "hong.json"
    bad.write_text('{"procedures": [{"code": "1.001193"}]}', encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("catalogue_import", str(bad))
    assert "không nhập phần nào" in str(exc.value) and "Thủ tục thứ 1 (1.001193)" in str(exc.value)
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        call_command("catalogue_import", str(tmp_path / "khong-co.xlsx"))
    with pytest.raises(CommandError, match="đuôi .json hoặc .xlsx"):
        call_command("catalogue_export", str(tmp_path / "danh-muc.csv"))
    assert not Procedure.objects.exists()
