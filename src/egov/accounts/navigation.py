"""The back-office menu: one list, filtered by what the user may open, used by the navbar and the home page."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from egov.accounts.policies import can_access_backoffice, can_use_cms, can_use_django_admin, can_view_audit


@dataclass(frozen=True)
class MenuItem:
    label: str
    url: str
    icon: str
    description: str = ""
    active: bool = False


def backoffice_menu(user, current_path: str = "") -> list[MenuItem]:
    if not can_access_backoffice(user):
        return []
    entries = [
        (_("Trang chủ"), reverse("backoffice:home"), "house", _("Thông tin tài khoản và lối tắt"), True),
        (_("Danh bạ cơ quan"), "/can-bo/danh-ba/", "diagram-3", _("Cơ quan, đơn vị, cán bộ trong tỉnh"), True),
        (_("Nhật ký kiểm toán"), reverse("audit:list"), "journal-check",
         _("Ai đã làm gì, khi nào; kiểm tra toàn vẹn"), can_view_audit(user)),
        (_("Quản trị"), reverse("admin:index"), "gear", _("Cấu hình hệ thống (Django admin)"),
         can_use_django_admin(user)),
        (_("Cổng thông tin"), "/cms/", "newspaper", _("Biên tập tin bài trên cổng thông tin"), can_use_cms(user)),
        (_("Tài khoản cá nhân"), reverse("accounts:profile"), "person-circle",
         _("Mật khẩu, xác thực hai bước"), True),
    ]
    home = reverse("backoffice:home")
    items = []
    for label, url, icon, description, allowed in entries:
        if not allowed:
            continue
        active = current_path == url if url == home else bool(current_path) and current_path.startswith(url)
        items.append(MenuItem(label=label, url=url, icon=icon, description=description, active=active))
    return items
