"""Issue 3 audit checks across the areas: every documents API operation is in the OpenAPI schema; bad input on
the API is a Vietnamese 4xx with nothing stored; a draft cannot answer a secret incoming document its drafter
may not see."""

import re

import pytest
from django.urls import get_resolver

from egov.core.errors import NotFound
from egov.documents.models import DocumentFile, IncomingDocument, OutgoingDocument, WorkFile
from egov.documents.services import outgoing
from egov.documents.tests import intake_world
from egov.documents.tests.world_incoming import register, world_make

pytestmark = pytest.mark.django_db
API = "/api/v1/documents"


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def test_openapi_lists_every_documents_api_route(client):
    routes = {"/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", r) for r in _routes(get_resolver().url_patterns)
              if r.startswith("api/v1/documents/")}
    paths = set(client.get("/api/v1/openapi.json").json()["paths"])
    assert len(routes) >= 35  # incoming, outgoing, deliveries, intake, signatures, work files, registers, search
    assert routes - paths == set()


def _vietnamese(body: dict) -> bool:
    return bool(re.search(r"[ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ]",
                          body.get("message", "").lower()))


def test_bad_input_on_the_api_is_a_vietnamese_4xx_and_nothing_is_stored(client, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    w = world_make()
    client.force_login(w.clerk)
    good = {"register_uuid": str(w.register.uuid), "summary": "Về việc tổng kết năm 2026", "number": "7",
            "notation": "SNV-VP", "issued_date": "2026-11-20", "issuer_name": "Sở Nội vụ"}
    for bad, status in (({"issued_date": "2026-02-31"}, 422), ({"issued_date": "20/11/2026"}, 422),
                        ({"summary": ""}, 400), ({"received_at": "hôm qua"}, 422), ({"urgency": 9}, 400)):
        response = client.post(f"{API}/incoming", {**good, **bad}, content_type="application/json")
        assert response.status_code == status, (bad, response.content)
        assert _vietnamese(response.json()), response.json()
    assert not IncomingDocument.objects.exists()

    for name, content in (("cong-van.pdf", intake_world.exe_bytes()), ("cong-van.pdf", b""),
                          ("bang-tinh.xlsx", b"PK\x03\x04 not a document")):
        response = client.post(f"{API}/intake/files", {"file": intake_world.upload(name, content)})
        assert 400 <= response.status_code < 500 and _vietnamese(response.json()), (name, response.content)
    assert not DocumentFile.objects.exists()

    response = client.post(f"{API}/workfiles", {"year": "hai nghìn", "notation": "01.VP", "title": "Hồ sơ",
                                                "retention": "10-nam"}, content_type="application/json")
    assert 400 <= response.status_code < 500 and _vietnamese(response.json()), response.content
    assert not WorkFile.objects.exists()

    client.force_login(w.specialist)
    response = client.post(f"{API}/outgoing", {"document_type": "cong-van", "summary": "  "},
                           content_type="application/json")
    assert response.status_code == 400 and _vietnamese(response.json())
    response = client.post(f"{API}/outgoing", {"document_type": "khong-co", "summary": "V/v thử"},
                           content_type="application/json")
    assert 400 <= response.status_code < 500 and _vietnamese(response.json())
    assert not OutgoingDocument.objects.exists()


def test_a_draft_cannot_answer_a_secret_incoming_document_its_drafter_does_not_see():
    w = world_make()
    secret = register(w, register=w.secret_register, secrecy=1, summary="Về việc bảo vệ bí mật nhà nước")
    plain = register(w, number="124")
    with pytest.raises(NotFound):
        outgoing.outgoing_draft_create(actor=w.specialist, document_type="cong-van", summary="V/v trả lời",
                                       in_reply_to=secret)
    assert not OutgoingDocument.objects.exists()
    draft = outgoing.outgoing_draft_create(actor=w.leader, document_type="cong-van", summary="V/v trả lời",
                                           in_reply_to=secret)  # the leader sees secret documents
    assert draft.in_reply_to == secret
    draft = outgoing.outgoing_draft_create(actor=w.specialist, document_type="cong-van", summary="V/v trả lời",
                                           in_reply_to=plain)
    assert draft.in_reply_to == plain
