"""Fixtures of the API-client tests: two agencies, their administrators, and a helper to issue tokens."""

import datetime as dt

import pytest
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from egov.accounts.models import User
from egov.apiclients.services import token_issue
from egov.directory.models import Agency, Official


@pytest.fixture
def stp(db):
    return Agency.objects.create(code="STP", name="Sở Tư pháp", abbreviation="STP", kind="so")


@pytest.fixture
def sxd(db):
    return Agency.objects.create(code="SXD", name="Sở Xây dựng", abbreviation="SXD", kind="so")


def _official(username, role, agency, **extra):
    user = User.objects.create_user(username=username, password="Mat-khau-dai-1", role=role,
                                    full_name="Nguyễn Văn Thử", **extra)
    Official.objects.create(user=user, agency=agency)
    return user


@pytest.fixture
def sysadmin(db):
    return User.objects.create_user(username="quantri.tinh", password="Mat-khau-dai-1", role="system_admin",
                                    full_name="Quản trị hệ thống", is_staff=True)


@pytest.fixture
def stp_admin(stp):
    return _official("quantri.stp", "agency_admin", stp, is_staff=True)


@pytest.fixture
def stp_clerk(stp):
    return _official("vanthu.stp", "clerk", stp)


@pytest.fixture
def issue(sysadmin, stp):
    """Issue a token through the service (as the system administrator unless told otherwise)."""

    def make(*, scopes=("directory:read",), agency=None, days=30, actor=None, name="Cổng dịch vụ công"):
        return token_issue(actor=actor or sysadmin, agency=agency or stp, name=name, scopes=list(scopes),
                           expires_at=timezone.now() + dt.timedelta(days=days))

    return make


def pass_second_factor(client, user):
    """Administrators must pass TOTP before reaching the admin; mark this test session as verified."""
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
