import datetime as dt
import re

import holidays
import pytest
from django.core.management import CommandError, call_command

from egov.workdays import builtin

pytestmark = pytest.mark.django_db


def test_workdays_show(capsys):
    call_command("workdays_show", year=2026)
    out = capsys.readouterr().out
    assert "16/02/2026" in out and "Giao thừa Tết Nguyên Đán" in out
    assert "22/08/2026" in out and "Thứ Bảy" in out
    with pytest.raises(CommandError, match="Năm phải trong khoảng"):
        call_command("workdays_show", year=1990)


def test_every_swap_in_the_package_has_its_makeup_day():
    """When the package learns a new swap, this fails until the make-up day is added with its document."""
    years = range(builtin.FIRST_DATE.year, builtin.LAST_DATE.year + 1)
    swaps = {}
    for day, name in holidays.country_holidays("VN", years=years, language="vi").items():
        found = re.search(r"thay cho ngày (\d{2}/\d{2}/\d{4})", name)
        if found:
            swaps[dt.datetime.strptime(found.group(1), "%d/%m/%Y").date()] = day
    listed = {m.date: m.replaces for m in builtin.MAKEUP_WORKING_DAYS}
    assert listed == swaps
    for makeup in builtin.MAKEUP_WORKING_DAYS:
        assert makeup.date.weekday() >= 5 and makeup.decision
