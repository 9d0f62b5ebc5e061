"""The audit viewer: administrators filter the hash-chained log and check its integrity.

Who sees which entries is decided in ``egov.accounts.policies`` (system administrators all of them, agency
administrators those of their agency's accounts); this module only filters, pages and shows.
"""

import datetime as dt
import json

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from egov.accounts.decorators import official_required
from egov.accounts.forms import BootstrapFormMixin
from egov.accounts.policies import audit_entries_visible_to, can_view_audit
from egov.core.audit import audit_chain_verify
from egov.core.models import AuditEntry

PAGE_SIZE = 50
SUMMARY_ITEMS = 6
SUMMARY_VALUE_CHARS = 60

# Known actions, shown in words beside their code and offered as suggestions in the filter.
ACTION_LABELS = {
    "accounts.login": pgettext_lazy("audit action", "Đăng nhập"),
    "accounts.login_failed": pgettext_lazy("audit action", "Đăng nhập không thành công"),
    "accounts.locked_out": pgettext_lazy("audit action", "Tạm khoá do đăng nhập sai nhiều lần"),
    "accounts.logout": pgettext_lazy("audit action", "Đăng xuất"),
    "accounts.otp_enabled": pgettext_lazy("audit action", "Bật xác thực hai bước"),
    "accounts.otp_disabled": pgettext_lazy("audit action", "Tắt xác thực hai bước"),
    "accounts.password_changed": pgettext_lazy("audit action", "Đổi mật khẩu"),
}

_DATE_ERROR = _("Ngày không hợp lệ. Hãy nhập theo dạng dd/mm/yyyy, ví dụ 05/09/2026.")


class AuditFilterForm(BootstrapFormMixin, forms.Form):
    actor = forms.CharField(label=_("Người thực hiện"), required=False, max_length=150,
                            help_text=_("Tên đăng nhập"))
    action = forms.CharField(label=_("Hành động"), required=False, max_length=100,
                             widget=forms.TextInput(attrs={"list": "audit-actions"}),
                             help_text=_("Ví dụ accounts.login, hoặc accounts cho mọi hành động về tài khoản"))
    object_type = forms.CharField(label=_("Loại đối tượng"), required=False, max_length=100,
                                  help_text=_("Ví dụ accounts.user"))
    object_id = forms.CharField(label=_("Mã đối tượng"), required=False, max_length=100)
    date_from = forms.DateField(label=_("Từ ngày"), required=False, input_formats=["%d/%m/%Y"],
                                error_messages={"invalid": _DATE_ERROR},
                                widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}))
    date_to = forms.DateField(label=_("Đến ngày"), required=False, input_formats=["%d/%m/%Y"],
                              error_messages={"invalid": _DATE_ERROR},
                              widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}))

    def _clean_date(self, name):
        value = self.cleaned_data.get(name)
        if value is not None and not 1900 <= value.year <= 2999:
            raise forms.ValidationError(_("Năm phải nằm trong khoảng 1900–2999."), code="year")
        return value

    def clean_date_from(self):
        return self._clean_date("date_from")

    def clean_date_to(self):
        return self._clean_date("date_to")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Ngày kết thúc phải sau hoặc trùng ngày bắt đầu."))
        return cleaned

    def filter(self, queryset):
        data = self.cleaned_data
        if actor := data.get("actor", "").strip():
            queryset = queryset.filter(Q(actor__username__iexact=actor) | Q(actor_label__iexact=actor))
        if action := data.get("action", "").strip():
            queryset = queryset.filter(Q(action=action) | Q(action__startswith=f"{action.rstrip('.')}."))
        if object_type := data.get("object_type", "").strip():
            queryset = queryset.filter(object_type=object_type.lower())
        if object_id := data.get("object_id", "").strip():
            queryset = queryset.filter(object_id=object_id)
        # Days are local (Asia/Ho_Chi_Minh) days; the log stores UTC.
        if start := data.get("date_from"):
            queryset = queryset.filter(at__gte=timezone.make_aware(dt.datetime.combine(start, dt.time.min)))
        if end := data.get("date_to"):
            after_end = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
            queryset = queryset.filter(at__lt=after_end)
        return queryset


def _short(value) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= SUMMARY_VALUE_CHARS else f"{text[: SUMMARY_VALUE_CHARS - 1]}…"


def summarize_changes(changes) -> list[str]:
    """A few readable lines out of the before/after/extra JSON: "field: old → new" for what changed."""
    if not isinstance(changes, dict):
        return []
    before = changes.get("before") if isinstance(changes.get("before"), dict) else {}
    after = changes.get("after") if isinstance(changes.get("after"), dict) else {}
    extra = changes.get("extra") if isinstance(changes.get("extra"), dict) else {}
    lines = []
    for key in list(dict.fromkeys([*before, *after])):
        if key in before and key in after:
            if before[key] != after[key]:
                lines.append(f"{key}: {_short(before[key])} → {_short(after[key])}")
        elif key in after:
            lines.append(f"{key}: → {_short(after[key])}")
        else:
            lines.append(f"{key}: {_short(before[key])} →")
    lines.extend(f"{key}: {_short(value)}" for key, value in extra.items())
    if len(lines) > SUMMARY_ITEMS:
        hidden = len(lines) - SUMMARY_ITEMS
        lines = [*lines[:SUMMARY_ITEMS], gettext("… và %(count)d mục khác") % {"count": hidden}]
    return lines


def _require_audit_access(request) -> None:
    if not can_view_audit(request.user):
        raise PermissionDenied(gettext("Chỉ quản trị hệ thống và quản trị cơ quan được xem nhật ký kiểm toán."))


@official_required
@never_cache
def audit_list(request):
    _require_audit_access(request)
    visible = audit_entries_visible_to(request.user, AuditEntry.objects.all())
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        entries = visible.none()
    else:
        entries = form.filter(visible) if form.is_bound else visible
    page = Paginator(entries.order_by("-seq"), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {"entry": entry, "action_label": ACTION_LABELS.get(entry.action, ""),
         "summary": summarize_changes(entry.changes)}
        for entry in page.object_list
    ]
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "action_choices": sorted(ACTION_LABELS.items()),
    }
    return render(request, "core/audit_list.html", context, status=400 if form.errors else 200)


@require_POST
@official_required
@never_cache
def audit_verify(request):
    """Walk the whole chain (it may take a while on a big log, hence a POST behind a button, not a link)."""
    _require_audit_access(request)
    report = audit_chain_verify()
    return render(request, "core/audit_verify.html", {"report": report})
