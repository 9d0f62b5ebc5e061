"""Facts the calendar starts from before any override: the supported range, default office hours and
the make-up working Saturdays that the ``holidays`` package leaves out.

The package lists the day off of each announced swap ("Ngày nghỉ (thay cho ngày …)") but not the weekend
day that staff work in exchange, so without this list a swap would only ever lengthen deadlines.
``tests/test_builtin.py`` checks that every swap in the package has its make-up day here.
"""

import datetime as dt
from dataclasses import dataclass

FIRST_DATE = dt.date(2000, 1, 1)
LAST_DATE = dt.date(2099, 12, 31)

# Province default office hours (SPEC §6.2) and the one-stop receipt cut-off (SPEC §1.10, NĐ 61/2018 Art. 18).
DEFAULT_MORNING_START = dt.time(7, 0)
DEFAULT_MORNING_END = dt.time(11, 30)
DEFAULT_AFTERNOON_START = dt.time(13, 30)
DEFAULT_AFTERNOON_END = dt.time(17, 0)
DEFAULT_RECEIPT_CUTOFF = dt.time(15, 0)

_PACKAGE_ONLY = "Theo bảng hoán đổi ngày làm việc của gói holidays; chưa đối chiếu văn bản gốc"


@dataclass(frozen=True)
class MakeupDay:
    date: dt.date
    replaces: dt.date
    decision: str

    @property
    def reason(self) -> str:
        return f"Làm bù cho ngày nghỉ {self.replaces:%d/%m/%Y}"


MAKEUP_WORKING_DAYS: tuple[MakeupDay, ...] = (
    MakeupDay(dt.date(2010, 2, 27), dt.date(2010, 2, 19), _PACKAGE_ONLY),
    MakeupDay(dt.date(2012, 2, 4), dt.date(2012, 1, 27), _PACKAGE_ONLY),
    MakeupDay(dt.date(2013, 5, 4), dt.date(2013, 4, 29), _PACKAGE_ONLY),
    MakeupDay(dt.date(2014, 4, 26), dt.date(2014, 5, 2), _PACKAGE_ONLY),
    MakeupDay(dt.date(2014, 9, 6), dt.date(2014, 9, 1), _PACKAGE_ONLY),
    MakeupDay(dt.date(2014, 12, 27), dt.date(2015, 1, 2), _PACKAGE_ONLY),
    MakeupDay(dt.date(2015, 2, 14), dt.date(2015, 2, 16), _PACKAGE_ONLY),
    MakeupDay(dt.date(2015, 4, 25), dt.date(2015, 4, 29), _PACKAGE_ONLY),
    MakeupDay(dt.date(2019, 1, 5), dt.date(2018, 12, 31), "CV 6519/VPCP-KGVX (2018)"),
    MakeupDay(dt.date(2019, 5, 4), dt.date(2019, 4, 29), "CV 6519/VPCP-KGVX (2018)"),
    MakeupDay(dt.date(2024, 5, 4), dt.date(2024, 4, 29), "CV 2450/VPCP-KGVX (2024)"),
    MakeupDay(dt.date(2025, 4, 26), dt.date(2025, 5, 2), "TB 6150/TB-BLĐTBXH (2024)"),
    MakeupDay(
        dt.date(2026, 8, 22), dt.date(2026, 8, 31),
        "Lịch nghỉ Quốc khánh 2026 theo gói holidays 0.109; cần đối chiếu thông báo chính thức",
    ),
)
