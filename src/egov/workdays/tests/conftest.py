"""Each test starts from a fresh calendar snapshot, so one test's rolled-back overrides never leak."""

import pytest

from egov.workdays import loader


@pytest.fixture(autouse=True)
def _fresh_calendar():
    loader.reset()
    yield
    loader.reset()


@pytest.fixture
def calendar_admin(db):
    from egov.accounts.models import User

    return User.objects.create_user(username="qtht", password="x-Strong-pass-1", role="system_admin")
