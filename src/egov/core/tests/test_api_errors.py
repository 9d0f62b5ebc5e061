"""The API's error contract: every failure under /api/v1 is JSON {"code", "message"} in Vietnamese, 4xx."""

import json
import re

import pytest

pytestmark = pytest.mark.django_db


def _is_json_error(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code
    assert isinstance(body["message"], str) and body["message"]
    return body


def test_unknown_path_is_404_json_in_vietnamese(client):
    for path in ("/api/v1/khong-co", "/api/v1/onestop/khong-co/123", "/api/v1/me/"):
        body = _is_json_error(client.get(path), 404, "not_found")
        assert body["message"].startswith("Không có địa chỉ API") and "/api/v1/docs" in body["message"]


def test_unknown_path_with_post_is_404_not_csrf_403(client):
    _is_json_error(client.post("/api/v1/khong-co", {}), 404, "not_found")


def test_wrong_method_is_405_json(client):
    response = client.delete("/api/v1/me")
    body = _is_json_error(response, 405, "method_not_allowed")
    assert "DELETE" in body["message"] and response["Allow"] == "GET"


def test_no_credentials_is_401_json(client):
    body = _is_json_error(client.get("/api/v1/me"), 401, "unauthenticated")
    assert body["message"] == "Chưa đăng nhập hoặc mã truy cập không hợp lệ, đã hết hạn."


def test_root_is_an_index(client):
    body = client.get("/api/v1/").json()
    assert body["docs"] == "/api/v1/docs" and body["openapi"] == "/api/v1/openapi.json"


def test_openapi_documents_auth_errors_and_pagination(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200

    def no_duplicates(pairs):  # JSON allows them, Swagger UI's YAML parser does not
        keys = [key for key, _ in pairs]
        assert len(keys) == len(set(keys)), keys
        return dict(pairs)

    schema = json.loads(response.content, object_pairs_hook=no_duplicates)
    assert schema["openapi"].startswith("3.")
    schemes = schema["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"}.items() <= schemes["BearerTokenAuth"].items()
    assert schemes["SessionAuth"]["in"] == "cookie"
    description = schema["info"]["description"]
    for phrase in ("Authorization: Bearer", '"code"', "page_size", '"pages"', "tối đa 500"):
        assert phrase in description
    assert "/api/v1/me" in schema["paths"]
    listing = schema["paths"]["/api/v1/api-tokens"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {"page", "page_size"}


def test_docs_page_loads_everything_from_our_own_server(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "cdn" not in html.lower()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert client.get(asset).status_code == 200, asset
    # The only inline <script> is a JSON data block, which CSP does not execute.
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline and all('type="application/json"' in attrs for attrs in inline)
