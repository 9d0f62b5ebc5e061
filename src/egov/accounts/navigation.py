"""The back-office menu: one list, filtered by what the user may open, used by the navbar and the home page.

Modules of other apps are linked by URL name; a module whose page does not exist (yet) is simply left out."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from egov.accounts.policies import (
    can_access_backoffice,
    can_use_cms,
    can_use_django_admin,
    can_view_audit,
    is_system_admin,
)
from egov.accounts.roles import Role

# Who works with official documents (registers, direction, handling, drafting).
_DOCUMENT_ROLES = frozenset({Role.CLERK, Role.LEADER, Role.SPECIALIST, Role.AGENCY_ADMIN})

# Who works on one-stop dossiers (processing) and who receives them at the counter.
_ONESTOP_ROLES = frozenset({Role.ONESTOP_OFFICER, Role.LEADER, Role.SPECIALIST, Role.AGENCY_ADMIN})


def _can_view_onestop_statistics(user) -> bool:
    # Imported here: the menu (accounts) must not import a higher app at module load (DESIGN.md order).
    from egov.onestop.statistics import can_view_statistics

    return can_view_statistics(user)


def _can_use_feedback(user) -> bool:
    from egov.feedback.policies import can_use_feedback

    return can_use_feedback(user)


def _can_view_portal_kpi(user) -> bool:
    from egov.portal.kpi import can_view_kpi

    return can_view_kpi(user)


@dataclass(frozen=True)
class MenuItem:
    label: str
    url: str
    icon: str
    description: str = ""
    active: bool = False


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def backoffice_menu(user, current_path: str = "") -> list[MenuItem]:
    if not can_access_backoffice(user):
        return []
    role = user.role
    admin = is_system_admin(user)
    entries = [
        (_("Trang chủ"), _url("backoffice:home"), "house", _("Thông tin tài khoản và lối tắt"), True),
        (_("Văn bản đến"), _url("documents:incoming_list"), "envelope-arrow-down",
         _("Vào sổ, phân công, xử lý văn bản đến"), admin or role in _DOCUMENT_ROLES),
        (_("Tiếp nhận tệp văn bản"), _url("documents:intake_upload"), "file-earmark-arrow-up",
         _("Tải tệp lên: kiểm tra, OCR tiếng Việt, gợi ý số, ký hiệu, trích yếu"), role == Role.CLERK),
        (_("Văn bản đi"), _url("documents:outgoing_list"), "envelope-arrow-up",
         _("Dự thảo, trình duyệt, ký số, phát hành"), admin or role in _DOCUMENT_ROLES),
        (_("Tìm văn bản"), _url("documents:search"), "search", _("Tìm theo số, ký hiệu, trích yếu, nội dung"),
         admin or role in _DOCUMENT_ROLES),
        (_("Sổ văn bản"), _url("documents:registers"), "journal-text", _("Sổ đăng ký văn bản đến, đi; thống kê"),
         admin or role in _DOCUMENT_ROLES),
        (_("Hồ sơ công việc"), _url("documents:workfile_list"), "archive", _("Danh mục hồ sơ, lập và đóng hồ sơ"),
         admin or role in _DOCUMENT_ROLES),
        (_("Tiếp nhận hồ sơ"), _url("onestop:counter"), "inbox",
         _("Bộ phận một cửa: tiếp nhận, hướng dẫn, trả kết quả"), admin or role == Role.ONESTOP_OFFICER),
        (_("Hồ sơ một cửa"), _url("onestop:work_queue"), "folder2-open", _("Hồ sơ thủ tục hành chính cần xử lý"),
         admin or role in _ONESTOP_ROLES),
        (_("Thống kê một cửa"), _url("onestop:statistics"), "bar-chart-line",
         _("Hồ sơ tiếp nhận, giải quyết đúng hạn, trễ hạn theo cơ quan, thủ tục"), _can_view_onestop_statistics(user)),
        (_("Phản ánh, kiến nghị"), _url("feedback_staff:register"), "chat-square-text",
         _("Sổ tiếp nhận, phân loại, trả lời, công khai PAKN và hỏi đáp"), _can_use_feedback(user)),
        (_("Danh bạ cơ quan"), "/can-bo/danh-ba/", "diagram-3", _("Cơ quan, đơn vị, cán bộ trong tỉnh"), True),
        (_("Nhật ký kiểm toán"), _url("audit:list"), "journal-check",
         _("Ai đã làm gì, khi nào; kiểm tra toàn vẹn"), can_view_audit(user)),
        (_("Quản trị"), _url("admin:index"), "gear", _("Cấu hình hệ thống (Django admin)"),
         can_use_django_admin(user)),
        (_("Cổng thông tin"), "/cms/", "newspaper", _("Biên tập tin bài trên cổng thông tin"), can_use_cms(user)),
        (_("Chỉ số cập nhật cổng"), _url("portal_public:kpi"), "speedometer2",
         _("Tỷ lệ thông tin chỉ đạo, điều hành đăng trong 2 ngày làm việc"), _can_view_portal_kpi(user)),
        (_("Tài khoản cá nhân"), _url("accounts:profile"), "person-circle",
         _("Mật khẩu, xác thực hai bước"), True),
    ]
    home = _url("backoffice:home")
    items = []
    for label, url, icon, description, allowed in entries:
        if not allowed or url is None:
            continue
        active = current_path == url if url == home else bool(current_path) and current_path.startswith(url)
        items.append(MenuItem(label=label, url=url, icon=icon, description=description, active=active))
    return items
