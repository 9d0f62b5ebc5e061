"""Print a year's days off and make-up working days, so an operator can compare them with the year's notice."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from egov.core.errors import DomainError
from egov.workdays import selectors
from egov.workdays.services import VN_TZ


class Command(BaseCommand):
    help = "In danh sách ngày nghỉ lễ, tết và ngày làm bù của một năm."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None, help="Năm (mặc định: năm hiện tại)")

    def handle(self, *args, year=None, **options):
        year = year or dt.datetime.now(VN_TZ).year
        try:
            days = selectors.special_days(year)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        off = [day for day in days if not day.working]
        working = [day for day in days if day.working]
        self.stdout.write(f"Ngày nghỉ năm {year} ({len(off)} ngày, không kể thứ Bảy, Chủ nhật thông thường):")
        for day in off:
            self.stdout.write(f"  {day.display}  {day.weekday:<9} {day.name}  [{day.decision}]")
        self.stdout.write(f"Ngày làm việc bù năm {year} ({len(working)} ngày):")
        for day in working:
            self.stdout.write(f"  {day.display}  {day.weekday:<9} {day.name}  [{day.decision}]")
        if not working:
            self.stdout.write("  (không có)")
