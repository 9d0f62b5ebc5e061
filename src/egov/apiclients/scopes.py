"""The catalogue of API scopes a token may carry: ``<area>:<read|write>``.

A router protects an endpoint with ``scope_required("<scope>")``; a token is issued with a subset of
these. Session users (officials in the browser) are not limited by scopes: their own policies apply.
"""

from egov.core.errors import DomainError

SCOPES: dict[str, str] = {
    "directory:read": "Đọc danh bạ cơ quan, đơn vị, cán bộ",
    "workdays:read": "Tra cứu lịch làm việc, tính hạn xử lý",
    "documents:read": "Đọc văn bản đến, văn bản đi",
    "documents:write": "Gửi, cập nhật văn bản",
    "onestop:read": "Đọc hồ sơ thủ tục hành chính",
    "onestop:write": "Tiếp nhận, cập nhật hồ sơ thủ tục hành chính",
    "exchange:write": "Gửi, nhận gói tin liên thông (edXML)",
    "kpi:read": "Đọc số liệu chỉ tiêu, thống kê",
}


def scope_choices() -> list[tuple[str, str]]:
    return [(code, f"{code} – {label}") for code, label in SCOPES.items()]


def clean_scopes(scopes) -> list[str]:
    """Normalise a list of scopes (order kept, duplicates dropped); unknown or missing scopes are an error."""
    cleaned: list[str] = []
    for raw in scopes or []:
        scope = str(raw).strip()
        if not scope:
            continue
        if scope not in SCOPES:
            allowed = ", ".join(SCOPES)
            raise DomainError("unknown_scope", f"Phạm vi không hợp lệ: “{scope}”. Các phạm vi hợp lệ: {allowed}.")
        if scope not in cleaned:
            cleaned.append(scope)
    if not cleaned:
        raise DomainError("scopes_required", "Cần chọn ít nhất một phạm vi truy cập cho mã truy cập.")
    return cleaned
