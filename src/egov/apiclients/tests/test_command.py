import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from egov.apiclients.models import ApiToken

pytestmark = pytest.mark.django_db


def test_issue_prints_only_the_secret_on_stdout(stp):
    out, err = StringIO(), StringIO()
    call_command("apitoken_issue", "--agency", "STP", "--name", "Kho dữ liệu tỉnh",
                 "--scopes", "directory:read, kpi:read", "--days", "30", stdout=out, stderr=err)
    secret = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.scopes == ["directory:read", "kpi:read"]
    assert "chỉ hiển thị một lần" in err.getvalue() and token.prefix in err.getvalue()
    assert 29 <= (token.expires_at - token.created_at).days <= 30


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--agency", "KHONGCO"], "Không tìm thấy cơ quan"),
        (["--scopes", "all"], "Phạm vi không hợp lệ"),
        (["--days", "400"], "từ 1 đến 366"),
        (["--by", "ai.do"], "Không tìm thấy người dùng"),
    ],
)
def test_bad_arguments_are_one_line_errors(stp, args, message):
    base = {"--agency": "STP", "--name": "X", "--scopes": "kpi:read", "--days": "5"}
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    flat = [item for pair in base.items() for item in pair]
    with pytest.raises(CommandError, match=message):
        call_command("apitoken_issue", *flat, stdout=StringIO(), stderr=StringIO())
    assert not ApiToken.objects.exists()


def test_by_a_non_admin_is_refused(stp_clerk):
    with pytest.raises(CommandError, match="quản trị"):
        call_command("apitoken_issue", "--agency", "STP", "--name", "X", "--scopes", "kpi:read",
                     "--by", "vanthu.stp", stdout=StringIO(), stderr=StringIO())
