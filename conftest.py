"""Shared fixtures for the whole suite (real database, real HTTP, real Chromium)."""

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture(autouse=True)
def _lookup_names_forgotten():
    """The public lookup keeps procedure and agency names in the process (``eservices.lookup.names``): rows of a
    rolled-back test must not name another test's agencies."""
    from egov.eservices.lookup import names

    names.clear()


@pytest.fixture
def redis_test_url():
    """A Redis database of the suite's own on 127.0.0.1:6379 (numbers 1-15 are the tests'), claimed against
    parallel runs and emptied before and after.

    Emptied first rather than required empty: CI runs against the Redis a session left behind, and a stale key
    must not fail the suite. Redis must be up in CI; elsewhere the test is skipped without it.
    """
    import redis

    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/0", socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        if IN_CI:
            raise
        pytest.skip("Redis không chạy tại 127.0.0.1:6379 (ngoài CI)")
    for number in range(15, 0, -1):
        client = redis.Redis.from_url(f"redis://127.0.0.1:6379/{number}")
        if client.set("egov:test:claimed", os.getpid(), nx=True, ex=900):
            client.flushdb()
            client.set("egov:test:claimed", os.getpid(), ex=900)
            try:
                yield f"redis://127.0.0.1:6379/{number}"
            finally:
                client.flushdb()
            return
    pytest.fail("Every Redis database from 1 to 15 is claimed by another test run")


@pytest.fixture
def browser():
    """A real headless Chromium (Debian's package) driven by Playwright; never a downloaded browser."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path="/usr/bin/chromium",
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        try:
            yield chromium
        finally:
            # While Playwright's event loop runs in this thread, Django keeps the connections the test opened in
            # context-local storage (asgiref), apart from pytest-django's thread-local ones: close them here, or
            # the PostgreSQL pass cannot drop its test database at the end ("being accessed by other users").
            from django.db import connections

            connections.close_all()
            chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    pg = context.new_page()
    pg.set_default_timeout(15000)
    try:
        yield pg
    finally:
        context.close()


def pytest_collection_modifyitems(config, items):
    """Tests marked ``db_independent`` run once per suite, in the SQLite pass: the PostgreSQL pass (DATABASE_URL
    set) would repeat them unchanged.

    Transactional tests (live server, ``transaction=True``) empty every table when they end, which also removes
    what data migrations put there (document types, the portal's home page, Wagtail's root page and site...).
    Every such test therefore runs with serialized rollback: it starts from the migrated database's content."""
    once = pytest.mark.skip(reason="không dùng CSDL kiểm thử: đã chạy ở lượt SQLite")
    for item in items:
        if os.environ.get("DATABASE_URL") and item.get_closest_marker("db_independent"):
            item.add_marker(once)
        fixtures = getattr(item, "fixturenames", ())
        marker = item.get_closest_marker("django_db")
        kwargs = dict(marker.kwargs) if marker is not None else {}
        transactional = "transactional_db" in fixtures or "live_server" in fixtures or kwargs.get("transaction")
        if transactional and not kwargs.get("serialized_rollback"):
            kwargs.update(transaction=True, serialized_rollback=True)
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)
