"""Fixtures of the accounts tests: agencies and officials made with the ORM, login through the real form."""

import pytest
from django.urls import reverse

from egov.accounts.models import User
from egov.accounts.roles import Role
from egov.directory.models import Agency, AgencyKind, Official

PASSWORD = "Mat-khau-rat-manh-2026"


@pytest.fixture
def agency(db):
    return Agency.objects.create(code="STTTT", name="Sở Khoa học và Công nghệ tỉnh Cà Mau", abbreviation="SKHCN",
                                 kind=AgencyKind.DEPARTMENT)


@pytest.fixture
def other_agency(db):
    return Agency.objects.create(code="XA-NAMCAN", name="Ủy ban nhân dân xã Năm Căn", abbreviation="UBND",
                                 kind=AgencyKind.COMMUNE)


@pytest.fixture
def make_user(db):
    """An account, and its official record when an agency is given."""

    def make(username, role=Role.CLERK, agency=None, password=PASSWORD, **extra):
        extra.setdefault("full_name", "Nguyễn Thị Thu")
        user = User.objects.create_user(username=username, password=password, role=role, **extra)
        if agency is not None:
            Official.objects.create(user=user, agency=agency)
        return user

    return make


@pytest.fixture
def clerk(make_user, agency):
    return make_user("vanthu.skhcn", Role.CLERK, agency, full_name="Trần Văn Thư")


@pytest.fixture
def agency_admin(make_user, agency):
    return make_user("quantri.skhcn", Role.AGENCY_ADMIN, agency, full_name="Lê Quản Trị")


@pytest.fixture
def system_admin(make_user):
    return make_user("quantri.tinh", Role.SYSTEM_ADMIN, full_name="Phạm Hệ Thống")


@pytest.fixture
def citizen(make_user):
    return make_user("congdan01", Role.CITIZEN, full_name="Võ Công Dân")


def post_login(client, username, password=PASSWORD, **extra):
    return client.post(reverse("accounts:login"), {"username": username, "password": password, **extra})


def post_token(client, token, url_name="accounts:otp", **extra):
    return client.post(reverse(url_name), {"token": token, **extra})
