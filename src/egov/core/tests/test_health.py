import pytest

pytestmark = pytest.mark.django_db


def test_healthz_reports_every_component(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "tasks", "storage"}
    assert all(check["ok"] for check in body["checks"].values())
