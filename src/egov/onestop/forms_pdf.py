"""The standard one-stop forms (SPEC §1.8) rendered to PDF with WeasyPrint from Django templates.

Forms are versioned: the set of TT 01/2018/TT-VPCP (6 forms) was replaced on 01/07/2025 by the set of
TT 03/2025/TT-VPCP (7 forms, renumbered). Our internal codes follow the 2018 numbering used by the data
model (``DossierFile.form_code``); each version records the number printed on the paper, its legal basis and
its validity, and the version valid on the dossier's date is the one printed. Templates live in
``templates/onestop/forms/form_<code>.html`` and extend ``onestop/forms/base.html`` (page size, fonts with
Vietnamese glyphs, the national heading). A5 for forms 01–05, A4 for the register (06).
"""

import datetime as dt
import logging
from dataclasses import dataclass
from urllib.parse import quote

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from egov.core.errors import DomainError

TT01_2018 = "Thông tư số 01/2018/TT-VPCP ngày 23/11/2018 của Văn phòng Chính phủ"
TT03_2025 = "Thông tư số 03/2025/TT-VPCP của Văn phòng Chính phủ"
SET_2025_FROM = dt.date(2025, 7, 1)
# WeasyPrint logs seven INFO lines per document; keep the platform's logs for what matters.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


@dataclass(frozen=True)
class FormTemplate:
    code: str           # internal code, as stored in DossierFile.form_code
    version: str
    number: str         # the "Mẫu số" printed on the paper under this version
    title: str
    legal_basis: str
    valid_from: dt.date
    valid_to: dt.date | None
    page_size: str      # CSS @page size

    @property
    def template(self) -> str:
        return f"onestop/forms/form_{self.code}.html"

    def valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


def _versions(code: str, title_2018: str, title_2025: str, number_2025: str, page_size: str):
    return (
        FormTemplate(code, "2018", code, title_2018, TT01_2018, dt.date(2019, 1, 6), SET_2025_FROM
                     - dt.timedelta(days=1), page_size),
        FormTemplate(code, "2025", number_2025, title_2025, TT03_2025, SET_2025_FROM, None, page_size),
    )


FORM_TEMPLATES: dict[str, tuple[FormTemplate, ...]] = {
    "01": _versions("01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
                    "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", "01", "A5"),
    "02": _versions("02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
                    "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", "02", "A5"),
    "03": _versions("03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
                    "Phiếu từ chối tiếp nhận giải quyết hồ sơ", "03", "A5"),
    "04": _versions("04", "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
                    "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết", "04", "A5"),
    "05": _versions("05", "Phiếu kiểm soát quá trình giải quyết hồ sơ",
                    "Phiếu kiểm soát quá trình giải quyết hồ sơ", "06", "A5"),
    "06": _versions("06", "Sổ theo dõi hồ sơ", "Sổ theo dõi hồ sơ", "07", "A4 landscape"),
}


def form_template(code: str, *, on: dt.date | None = None) -> FormTemplate:
    """The version of form ``code`` valid on ``on`` (today by default)."""
    versions = FORM_TEMPLATES.get(str(code))
    if not versions:
        known = ", ".join(FORM_TEMPLATES)
        raise DomainError("unknown_form", f"Không có mẫu phiếu số “{code}”. Các mẫu hiện có: {known}.", status=404)
    day = on or timezone.localdate()
    for version in reversed(versions):
        if version.valid_on(day):
            return version
    return versions[0] if day < versions[0].valid_from else versions[-1]


# --- values printed on forms -----------------------------------------------------------------------
def lookup_url(code: str) -> str:
    """The public lookup page of a dossier: the target of the QR code (DESIGN contract ``/tra-cuu/``)."""
    base = getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    return f"{base}/tra-cuu/?ma={quote(code, safe='')}"


def qr_svg(data: str, *, scale: int = 3) -> SafeString:
    """A QR code as inline SVG (vector, sharp on any printer); medium error correction survives a crease."""
    return mark_safe(segno.make(data, error="m").svg_inline(scale=scale, omitsize=False))  # noqa: S308


def format_moment(value: dt.datetime | None) -> str:
    """dd/mm/yyyy HH:MM in Vietnam time."""
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def format_moment_long(value: dt.datetime | None) -> str:
    """"08 giờ 30 phút, ngày 14/07/2025", the wording of Form 01."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return f"{local:%H} giờ {local:%M} phút, ngày {local:%d/%m/%Y}"


def format_date_long(value: dt.date | dt.datetime | None) -> str:
    """"ngày 14 tháng 07 năm 2025", the wording of the place-and-date line."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return f"ngày {value:%d} tháng {value:%m} năm {value:%Y}"


def format_days(days) -> str:
    """Working days as Vietnamese write them: 2 -> "2", 2.5 -> "2,5"."""
    if days is None:
        return ""
    text = f"{float(days):g}"
    return text.replace(".", ",")


def place_name() -> str:
    """The province name without its "Tỉnh" prefix, for "Cà Mau, ngày … tháng … năm …"."""
    name = getattr(settings, "EGOV_PROVINCE_NAME", "Tỉnh Cà Mau")
    for prefix in ("Tỉnh ", "tỉnh ", "Thành phố ", "thành phố "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


# --- rendering -------------------------------------------------------------------------------------
def render_form_html(code: str, context: dict, *, on: dt.date | None = None) -> str:
    form = form_template(code, on=on)
    full = {"form": form, "place_name": place_name(), "province_name": settings.EGOV_PROVINCE_NAME, **context}
    if full.get("lookup_url") and "qr_svg" not in full:
        full["qr_svg"] = qr_svg(full["lookup_url"])
    return render_to_string(form.template, full)


def render_form_pdf(code: str, context: dict, *, on: dt.date | None = None) -> bytes:
    """Render form ``code`` with ``context`` to PDF bytes.

    Put ``lookup_url`` in the context to print a QR code to the public lookup (``qr_svg`` in templates)."""
    from weasyprint import HTML  # heavy import (Pango, fonts): only where a PDF is made

    html = render_form_html(code, context, on=on)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
