"""The demo loader: items in several states at VP and STP, two published answers; a second run adds nothing."""

import io

import pytest
from django.core.management import call_command

from egov.directory.demo import load_demo
from egov.feedback.demo import feedback_load_demo
from egov.feedback.models import Feedback, Status
from egov.feedback.selectors import feedback_published

pytestmark = pytest.mark.django_db


def test_demo_loads_once_with_published_answers():
    load_demo()
    assert "Đã nạp 6" in feedback_load_demo()
    out = io.StringIO()
    call_command("feedback_load_demo", stdout=out)
    assert "không nạp lại" in out.getvalue()
    assert Feedback.objects.count() == 6
    assert feedback_published().count() == 2
    assert list(feedback_published(q="khai sinh").values_list("status", flat=True)) == [Status.DA_CONG_KHAI]
    forwarded = Feedback.objects.get(forwarded_from__code="VP")
    assert forwarded.agency.code == "STP" and forwarded.status == Status.DA_TIEP_NHAN
