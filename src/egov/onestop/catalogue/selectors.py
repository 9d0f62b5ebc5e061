"""Reads of the catalogue: the version in force on a day, the public list, search, plain-data payloads."""

import datetime as dt

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from egov.core.errors import NotFound
from egov.core.text import fold_vietnamese, has_diacritics, normalize_vietnamese
from egov.onestop.catalogue.rules import RULE_KEYS, number_out
from egov.onestop.models import Dossier, Procedure, ProcedureVersion


def local_today() -> dt.date:
    return timezone.localdate()


def version_has_dossiers(version: ProcedureVersion) -> bool:
    return Dossier.objects.filter(procedure_version=version).exists()


def procedure_current_version(procedure: Procedure, *, at: dt.date | None = None) -> ProcedureVersion | None:
    """The version in force on ``at`` (default: today): the highest number valid on that day.

    Reception receives a dossier under this version; ``Procedure.current_version`` is the newest one.
    """
    day = at or local_today()
    return (procedure.versions.filter(valid_from__lte=day)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day)).order_by("-number").first())


def procedures_public() -> QuerySet:
    """What citizens may choose from: active procedures that have rules, with what lists show."""
    return (Procedure.objects.filter(is_active=True, current_version__isnull=False)
            .select_related("field", "current_version"))


def procedures_search(queryset: QuerySet, q: str | None) -> QuerySet:
    """Code or name, with or without diacritics; matches typed with diacritics rank first."""
    folded = fold_vietnamese(q)
    if not folded:
        return queryset
    for token in folded.split(" ")[:8]:  # a handful of syllables narrows enough; more only costs time
        queryset = queryset.filter(search_text__contains=token)
    exact = normalize_vietnamese(q)
    rank = [When(search_text__contains=exact, then=Value(0))] if has_diacritics(q) else []
    rank.append(When(search_text__contains=folded, then=Value(1)))
    return queryset.annotate(search_rank=Case(*rank, default=Value(2), output_field=IntegerField())).order_by(
        "search_rank", "code")


def procedure_by_code(code: str, *, queryset: QuerySet | None = None) -> Procedure:
    qs = queryset if queryset is not None else Procedure.objects.select_related("field", "current_version")
    procedure = qs.filter(code=(code or "").strip()).first()
    if procedure is None:
        raise NotFound(f"Không tìm thấy thủ tục hành chính mã “{code}”.", code="procedure_not_found")
    return procedure


def version_payload(version: ProcedureVersion, *, with_validity: bool = True) -> dict:
    """A version as plain data: the JSON export's shape, also used to see whether anything changed."""
    payload: dict = {}
    if with_validity:
        payload = {"number": version.number, "valid_from": version.valid_from.isoformat(),
                   "valid_to": version.valid_to.isoformat() if version.valid_to else None}
    payload.update({
        "implementing_agency": version.implementing_agency_text,
        "processing_days": number_out(version.processing_days),
        "processing_hours": version.processing_hours,
        "count_receipt_day": version.count_receipt_day,
        "online_mode": version.online_mode,
        "online_result": version.online_result,
        "consultation_allowed": version.consultation_allowed,
        "fees": [dict(f) for f in version.fees],
        "result_documents": [dict(r) for r in version.result_documents],
        "legal_basis": version.legal_basis,
        "form_schema": version.form_schema,
        "notes": version.notes,
        "papers": [{"name": p.name, "kind": p.kind, "originals": p.originals, "copies": p.copies,
                    "condition": p.condition, "mandatory": p.mandatory} for p in version.papers.all()],
        "steps": [{"order": s.order, "name": s.name, "role": s.role, "agency_kind": s.agency_kind,
                   "agency_code": s.agency_code, "unit_name": s.unit_name,
                   "allotted_days": number_out(s.allotted_days), "allotted_hours": s.allotted_hours,
                   "is_consultation": s.is_consultation} for s in version.steps.all()],
    })
    return payload


def rules_payload(rules: dict) -> dict:
    """Cleaned rules in the same JSON shape as ``version_payload(..., with_validity=False)``."""
    out = {key: rules[key] for key in RULE_KEYS}
    out["processing_days"] = number_out(rules["processing_days"])
    out["steps"] = [{**s, "allotted_days": number_out(s["allotted_days"])} for s in rules["steps"]]
    return out


def procedure_payload(procedure: Procedure) -> dict:
    return {"code": procedure.code, "name": procedure.name, "field": procedure.field.code,
            "level": procedure.level, "is_active": procedure.is_active,
            "versions": [version_payload(v) for v in procedure.versions.order_by("number")]}
