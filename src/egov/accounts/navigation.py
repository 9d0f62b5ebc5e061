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

# Who works on one-stop dossiers (processing) and who receives them at the counter.
_ONESTOP_ROLES = frozenset({Role.ONESTOP_OFFICER, Role.LEADER, Role.SPECIALIST, Role.AGENCY_ADMIN})


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
        (_("Tiếp nhận hồ sơ"), _url("onestop:counter"), "inbox",
         _("Bộ phận một cửa: tiếp nhận, hướng dẫn, trả kết quả"), admin or role == Role.ONESTOP_OFFICER),
        (_("Hồ sơ một cửa"), _url("onestop:work_queue"), "folder2-open", _("Hồ sơ thủ tục hành chính cần xử lý"),
         admin or role in _ONESTOP_ROLES),
        (_("Danh bạ cơ quan"), "/can-bo/danh-ba/", "diagram-3", _("Cơ quan, đơn vị, cán bộ trong tỉnh"), True),
        (_("Nhật ký kiểm toán"), _url("audit:list"), "journal-check",
         _("Ai đã làm gì, khi nào; kiểm tra toàn vẹn"), can_view_audit(user)),
        (_("Quản trị"), _url("admin:index"), "gear", _("Cấu hình hệ thống (Django admin)"),
         can_use_django_admin(user)),
        (_("Cổng thông tin"), "/cms/", "newspaper", _("Biên tập tin bài trên cổng thông tin"), can_use_cms(user)),
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
