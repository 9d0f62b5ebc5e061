"""Lockout after repeated failed logins (django-axes), including two wrong passwords sent at the same time."""

import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from egov.accounts.models import User
from egov.accounts.testing import current_token, totp_device
from egov.accounts.tests.conftest import PASSWORD, post_login, post_token
from egov.core.models import AuditEntry

LOCKED_TEXT = "Tài khoản tạm thời bị khoá"


def _post_login_over_http(base_url: str, username: str, password: str) -> tuple[int, str]:
    """One browser-like login: fetch the form (CSRF cookie and token), then post it."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    url = base_url + reverse("accounts:login")
    form = opener.open(url, timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username, "password": password})
    request = urllib.request.Request(url, data=body.encode(), headers={"Referer": url})
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_two_parallel_wrong_passwords_lock_the_account(live_server, settings):
    settings.AXES_FAILURE_LIMIT = 2
    User.objects.create_user(username="vanthu.song.song", password=PASSWORD, role="clerk")
    start = threading.Barrier(2)
    results: list[tuple[int, str]] = []
    errors: list[BaseException] = []

    def attempt():
        try:
            start.wait(timeout=30)
            results.append(_post_login_over_http(live_server.url, "vanthu.song.song", "mat-khau-sai-1"))
        except BaseException as exc:  # surfaced below; a thread must not swallow a failure
            errors.append(exc)

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    statuses = sorted(status for status, _ in results)
    assert all(status in (200, 429) for status in statuses), statuses  # a form error or the lockout, no 500

    status, html = _post_login_over_http(live_server.url, "vanthu.song.song", PASSWORD)
    assert status == 429
    assert LOCKED_TEXT in html and "Vui lòng thử lại sau 30 phút" in html
    attempts = AccessAttempt.objects.filter(username="vanthu.song.song")
    assert sum(a.failures_since_start for a in attempts) >= 2
    assert AuditEntry.objects.filter(action="accounts.login_failed").count() >= 2
    assert AuditEntry.objects.filter(action="accounts.locked_out").exists()
    assert not AuditEntry.objects.filter(action="accounts.login").exists()


@pytest.mark.django_db
def test_lockout_page_says_for_how_long(client, clerk, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        assert post_login(client, clerk.username, "sai").status_code == 200
    response = post_login(client, clerk.username, "sai")
    assert response.status_code == 429
    html = response.content.decode()
    assert LOCKED_TEXT in html
    assert re.search(r"Vui lòng thử lại sau 30 phút \(từ \d\d:\d\d \d\d/\d\d/\d{4}\)", html)
    # Even the right password is refused while locked.
    assert post_login(client, clerk.username, PASSWORD).status_code == 429
    assert client.get(reverse("backoffice:home")).status_code == 302


@pytest.mark.django_db
def test_wrong_codes_count_towards_the_lockout(client, clerk, settings):
    settings.AXES_FAILURE_LIMIT = 2
    device = totp_device(clerk)
    post_login(client, clerk.username)
    wrong = f"{(int(current_token(device)) + 1) % 1_000_000:06d}"
    assert post_token(client, wrong).status_code == 200
    device.refresh_from_db()
    device.throttle_reset()
    response = post_token(client, wrong)
    assert response.status_code == 429 and LOCKED_TEXT in response.content.decode()
    assert post_login(client, clerk.username).status_code == 429


@pytest.mark.django_db
def test_successful_login_resets_the_failure_count(client, clerk, settings):
    settings.AXES_FAILURE_LIMIT = 3
    post_login(client, clerk.username, "sai")
    post_login(client, clerk.username, "sai")
    assert post_login(client, clerk.username).status_code == 302
    assert not AccessAttempt.objects.filter(username=clerk.username).exists()
