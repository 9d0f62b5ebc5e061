"""Demo catalogue: the 40 real procedures of ``data/procedures_sample.json`` mapped onto our models.

The sample is a crawl of the national TTHC database (see its ``_meta``); it has no internal process, no
online level and no online form, so this module adds sensible defaults and says so in each version's notes.
Loading goes through the ordinary catalogue import, so it is idempotent: an unchanged procedure is left alone
and a changed one follows the versioning rule.
"""

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from egov.core.text import slugify_vietnamese
from egov.onestop.catalogue_io import FORMAT_NAME, FORMAT_VERSION, ImportReport, catalogue_import_document
from egov.onestop.models import OnlineMode

DATA_FILE = Path(__file__).resolve().parent / "data" / "procedures_sample.json"
VALID_FROM = dt.date(2025, 7, 1)  # the two-tier local government (and the merged province) start

FIELD_CODES = {
    "Hộ tịch": "ho-tich",
    "Chứng thực": "chung-thuc",
    "Nuôi con nuôi": "nuoi-con-nuoi",
    "Hòa giải ở cơ sở": "hoa-giai-co-so",
    "Lý lịch tư pháp": "ly-lich-tu-phap",
    "Đăng ký, quản lý cư trú": "cu-tru",
    "Đất đai": "dat-dai",
    "Hoạt động xây dựng": "xay-dung",
    "Thành lập và hoạt động doanh nghiệp (hộ kinh doanh)": "ho-kinh-doanh",
    "Thành lập và hoạt động của doanh nghiệp": "doanh-nghiep",
    "Thành lập và hoạt động của tổ hợp tác, hợp tác xã, liên hiệp hợp tác xã": "hop-tac-xa",
    "Sát hạch, cấp giấy phép lái xe": "giay-phep-lai-xe",
    "Hàng hải và đường thủy nội địa": "duong-thuy-noi-dia",
    "Thủy sản": "thuy-san",
    "Đăng ký, quản lý phương tiện giao thông cơ giới, xe máy chuyên dùng": "dang-ky-xe",
    "Đường bộ": "duong-bo",
}

# Where the source has no processing time ("Không có thông tin"): the time the sector law sets, to be
# checked against the province's publishing decision. 0 days = "trong ngày" (after 15:00: next working day).
MISSING_TIME = {
    "2.000635": (Decimal(0), "trả trong ngày (Luật Hộ tịch 2014; NĐ 123/2015/NĐ-CP)"),
    "2.000815": (Decimal(0), "trong ngày, sau 15 giờ thì ngày làm việc tiếp theo (NĐ 23/2015/NĐ-CP, Điều 7)"),
    "2.000884": (Decimal(0), "trong ngày, sau 15 giờ thì ngày làm việc tiếp theo (NĐ 23/2015/NĐ-CP, Điều 7)"),
    "2.001035": (Decimal(2), "không quá 02 ngày làm việc (NĐ 23/2015/NĐ-CP, Điều 7)"),
    "2.001019": (Decimal(2), "không quá 02 ngày làm việc (NĐ 23/2015/NĐ-CP, Điều 7)"),
    "2.001263": (Decimal(30), "30 ngày (Luật Nuôi con nuôi 2010), tính là ngày làm việc"),
    "1.001612": (Decimal(3), "03 ngày làm việc (quy định về đăng ký hộ kinh doanh)"),
}

# Unit that appraises a commune procedure, by field (2025 commune model: office, economy, culture-society).
COMMUNE_UNIT = {
    "ho-tich": "Văn phòng HĐND và UBND (tư pháp – hộ tịch)",
    "chung-thuc": "Văn phòng HĐND và UBND (tư pháp – hộ tịch)",
    "nuoi-con-nuoi": "Văn phòng HĐND và UBND (tư pháp – hộ tịch)",
    "hoa-giai-co-so": "Văn phòng HĐND và UBND (tư pháp – hộ tịch)",
    "cu-tru": "Công an xã, phường",
    "dang-ky-xe": "Công an xã, phường",
    "dat-dai": "Phòng Kinh tế",
    "xay-dung": "Phòng Kinh tế",
    "ho-kinh-doanh": "Phòng Kinh tế",
    "hop-tac-xa": "Phòng Kinh tế",
    "duong-thuy-noi-dia": "Phòng Kinh tế",
}
# Province procedures: (kind of agency that processes, unit, directory codes to prefer), by field. The police
# receive their own dossiers, so their steps stay in the receiving agency (kind "").
PROVINCE_UNIT = {
    "ly-lich-tu-phap": ("", "Công an tỉnh – Phòng Hồ sơ nghiệp vụ", ()),
    "giay-phep-lai-xe": ("", "Công an tỉnh – Phòng Cảnh sát giao thông", ()),
    "dat-dai": ("so", "Văn phòng Đăng ký đất đai", ("VPDKDD", "SNNMT")),
    "thuy-san": ("so", "Chi cục Thủy sản", ("SNNMT",)),
    "xay-dung": ("so", "Phòng Quản lý xây dựng", ("SXD",)),
    "duong-bo": ("so", "Phòng Quản lý vận tải", ("SXD",)),
    "doanh-nghiep": ("so", "Phòng Đăng ký kinh doanh", ("STC",)),
}

MANDATORY_CONDITIONS = ("Khi nộp trực tiếp", "Không nộp bản giấy", "Nếu chỉ xuất trình bản chính", "Trừ trường hợp")


def _step(order, name, role, *, days=None, hours=None, agency_kind="", unit="", consult=False, hint=()) -> dict:
    """A process step; ``hint`` lists directory codes of the agency that does it, used when that agency exists."""
    return {"order": order, "name": name, "role": role, "agency_kind": agency_kind, "agency_code": "",
            "unit_name": unit, "allotted_days": float(days) if days is not None else None,
            "allotted_hours": hours, "is_consultation": consult, "_hint": tuple(hint)}


def _resolve_agencies(steps: list[dict]) -> list[dict]:
    """Name the agency by its code when the directory has it; else the step keeps its agency kind."""
    from egov.directory.selectors import agency_by_code

    resolved = []
    for step in steps:
        step = dict(step)
        for code in step.pop("_hint", ()):
            agency = agency_by_code(code)
            if agency is not None:
                step["agency_code"] = agency.code
                break
        resolved.append(step)
    return resolved


def default_steps(*, level: str, field_code: str, days: Decimal | None, hours: int | None) -> list[dict]:
    """Reception, appraisal, approval, return; half a day each for reception and approval when time allows."""
    if level == "tinh":
        kind, unit, hint = PROVINCE_UNIT.get(field_code, ("so", "Phòng chuyên môn", ()))
        reception_unit = "Trung tâm Phục vụ hành chính công tỉnh"
    else:
        kind, unit, hint = "", COMMUNE_UNIT.get(field_code, "Văn phòng HĐND và UBND"), ()
        reception_unit = "Bộ phận Một cửa (Trung tâm Phục vụ hành chính công xã, phường)"
    total = (days or Decimal(0)) * 8 + (hours or 0)
    reception, appraisal, approval = {}, {}, {}
    if total >= 16 and days is not None:
        reception, approval, appraisal = {"days": Decimal("0.5")}, {"days": Decimal("0.5")}, {"days": days - 1}
    elif total >= 8:
        reception, approval, appraisal = {"hours": 1}, {"hours": 2}, {"hours": int(total) - 3}
    elif total > 0:
        appraisal = {"hours": int(total)}
    return [
        _step(1, "Tiếp nhận, kiểm tra hồ sơ", "onestop_officer", unit=reception_unit, **reception),
        _step(2, "Thẩm định, xử lý hồ sơ", "specialist", agency_kind=kind, unit=unit, hint=hint, **appraisal),
        _step(3, "Phê duyệt, ký kết quả", "leader", agency_kind=kind, unit=unit, hint=hint, **approval),
        _step(4, "Trả kết quả", "onestop_officer", unit=reception_unit),
    ]


COMMUNE_ONESTOP = "Bộ phận Một cửa (Trung tâm Phục vụ hành chính công xã, phường)"
PROVINCE_ONESTOP = "Trung tâm Phục vụ hành chính công tỉnh"
LAND_OFFICE = "Văn phòng Đăng ký đất đai"
LAND_HINT = ("VPDKDD", "SNNMT")

# A few procedures whose real process crosses agencies or asks other agencies' opinion.
SPECIAL_STEPS = {
    "1.013978": [
        _step(1, "Tiếp nhận, kiểm tra hồ sơ", "onestop_officer", days=Decimal("0.5"), unit=COMMUNE_ONESTOP),
        _step(2, "Kiểm tra hiện trạng, niêm yết công khai", "specialist", days=12, unit="Phòng Kinh tế"),
        _step(3, "Thẩm định, cập nhật hồ sơ địa chính (liên thông)", "specialist", days=10, agency_kind="so",
              unit=LAND_OFFICE, hint=LAND_HINT),
        _step(4, "Lấy ý kiến cơ quan thuế về nghĩa vụ tài chính", "specialist", days=5, agency_kind="khac",
              unit="Thuế cơ sở", consult=True),
        _step(5, "Phê duyệt, ký Giấy chứng nhận", "leader", days=4, agency_kind="so", unit=LAND_OFFICE,
              hint=LAND_HINT),
        _step(6, "Trả kết quả", "onestop_officer", unit=COMMUNE_ONESTOP),
    ],
    "1.013831": [
        _step(1, "Tiếp nhận, kiểm tra hồ sơ", "onestop_officer", days=Decimal("0.5"), unit=PROVINCE_ONESTOP),
        _step(2, "Thẩm định hồ sơ, chỉnh lý hồ sơ địa chính", "specialist", days=Decimal("14.5"),
              agency_kind="so", unit=LAND_OFFICE, hint=LAND_HINT),
        _step(3, "Lấy ý kiến cơ quan thuế về nghĩa vụ tài chính", "specialist", days=5, agency_kind="khac",
              unit="Thuế tỉnh", consult=True),
        _step(4, "Phê duyệt, ký Giấy chứng nhận", "leader", days=3, agency_kind="so", unit=LAND_OFFICE,
              hint=LAND_HINT),
        _step(5, "Trả kết quả", "onestop_officer", unit=PROVINCE_ONESTOP),
    ],
    "1.013225": [
        _step(1, "Tiếp nhận, kiểm tra hồ sơ", "onestop_officer", days=Decimal("0.5"), unit=COMMUNE_ONESTOP),
        _step(2, "Thẩm định hồ sơ, kiểm tra thực địa", "specialist", days=Decimal("11.5"), unit="Phòng Kinh tế"),
        _step(3, "Lấy ý kiến cơ quan quản lý nhà nước liên quan (phòng cháy, chữa cháy...)", "specialist",
              days=5, agency_kind="khac", unit="Cơ quan quản lý chuyên ngành", consult=True),
        _step(4, "Phê duyệt, ký giấy phép", "leader", days=3, unit="Lãnh đạo UBND xã, phường"),
        _step(5, "Trả kết quả", "onestop_officer", unit=COMMUNE_ONESTOP),
    ],
    "1.013236": [
        _step(1, "Tiếp nhận, kiểm tra hồ sơ", "onestop_officer", days=Decimal("0.5"), unit=PROVINCE_ONESTOP),
        _step(2, "Thẩm định hồ sơ, kiểm tra thực địa", "specialist", days=Decimal("16.5"), agency_kind="so",
              unit="Phòng Quản lý xây dựng", hint=("SXD",)),
        _step(3, "Lấy ý kiến các cơ quan quản lý nhà nước liên quan", "specialist", days=10, agency_kind="khac",
              unit="Cơ quan quản lý chuyên ngành", consult=True),
        _step(4, "Phê duyệt, ký giấy phép", "leader", days=3, agency_kind="so", unit="Lãnh đạo Sở",
              hint=("SXD",)),
        _step(5, "Trả kết quả", "onestop_officer", unit=PROVINCE_ONESTOP),
    ],
    "2.000986": [
        _step(1, "Tiếp nhận, kiểm tra hồ sơ liên thông", "onestop_officer", days=Decimal("0.5"),
              unit=COMMUNE_ONESTOP),
        _step(2, "Đăng ký khai sinh", "specialist", days=2, unit="Văn phòng HĐND và UBND (tư pháp – hộ tịch)"),
        _step(3, "Ký Giấy khai sinh", "leader", days=Decimal("0.5"), unit="Lãnh đạo UBND xã, phường"),
        _step(4, "Liên thông Công an xã, phường: đăng ký thường trú", "specialist", days=7,
              unit="Công an xã, phường"),
        _step(5, "Liên thông Bảo hiểm xã hội: cấp thẻ bảo hiểm y tế", "specialist", days=5,
              unit="Bảo hiểm xã hội cơ sở"),
        _step(6, "Trả kết quả", "onestop_officer", unit=COMMUNE_ONESTOP),
    ],
}


def _field(name, label, kind="text", *, required=True, choices=None, help_text=None) -> dict:
    item = {"name": name, "label": label, "type": kind, "required": required}
    if choices:
        item["choices"] = choices
    if help_text:
        item["help"] = help_text
    return item


_ID = "Số định danh cá nhân (12 số)"
FORM_SCHEMAS = {
    "1.001193": [
        _field("ho_ten_tre", "Họ, chữ đệm và tên của trẻ"),
        _field("ngay_sinh", "Ngày, tháng, năm sinh", "date"),
        _field("gioi_tinh", "Giới tính", "select", choices=["Nam", "Nữ"]),
        _field("noi_sinh", "Nơi sinh", help_text="Tên cơ sở y tế hoặc địa chỉ nơi trẻ sinh ra"),
        _field("dan_toc", "Dân tộc"),
        _field("quoc_tich", "Quốc tịch"),
        _field("ho_ten_me", "Họ, chữ đệm và tên của mẹ"),
        _field("so_dinh_danh_me", f"{_ID} của mẹ", required=False),
        _field("ho_ten_cha", "Họ, chữ đệm và tên của cha", required=False),
        _field("so_dinh_danh_cha", f"{_ID} của cha", required=False),
        _field("quan_he", "Quan hệ của người đi khai sinh với trẻ", "select",
               choices=["Cha", "Mẹ", "Ông", "Bà", "Người thân thích khác"]),
        _field("so_ban_sao", "Số bản sao Giấy khai sinh đề nghị cấp", "number", required=False),
    ],
    "1.000894": [
        _field("ho_ten_chong", "Họ, chữ đệm và tên của bên nam"),
        _field("ngay_sinh_chong", "Ngày sinh của bên nam", "date"),
        _field("so_dinh_danh_chong", f"{_ID} của bên nam"),
        _field("noi_cu_tru_chong", "Nơi cư trú của bên nam"),
        _field("ho_ten_vo", "Họ, chữ đệm và tên của bên nữ"),
        _field("ngay_sinh_vo", "Ngày sinh của bên nữ", "date"),
        _field("so_dinh_danh_vo", f"{_ID} của bên nữ"),
        _field("noi_cu_tru_vo", "Nơi cư trú của bên nữ"),
        _field("lan_ket_hon", "Kết hôn lần thứ", "select", choices=["Lần đầu", "Lần thứ hai trở lên"]),
    ],
    "1.000656": [
        _field("ho_ten_nguoi_chet", "Họ, chữ đệm và tên người đã chết"),
        _field("ngay_sinh_nguoi_chet", "Ngày sinh người đã chết", "date"),
        _field("so_dinh_danh_nguoi_chet", f"{_ID} của người đã chết", required=False),
        _field("ngay_chet", "Ngày chết", "date"),
        _field("noi_chet", "Nơi chết"),
        _field("nguyen_nhan_chet", "Nguyên nhân chết", required=False),
        _field("so_giay_bao_tu", "Số Giấy báo tử (nếu có)", required=False),
        _field("quan_he", "Quan hệ với người đã chết"),
    ],
    "1.004873": [
        _field("ho_ten", "Họ, chữ đệm và tên người được xác nhận"),
        _field("ngay_sinh", "Ngày sinh", "date"),
        _field("so_dinh_danh", _ID),
        _field("noi_cu_tru", "Nơi cư trú"),
        _field("tinh_trang_hon_nhan", "Tình trạng hôn nhân hiện tại", "select",
               choices=["Chưa đăng ký kết hôn với ai", "Đã đăng ký kết hôn, đã ly hôn", "Có vợ/chồng đã chết",
                        "Đang có vợ/chồng"]),
        _field("muc_dich", "Mục đích sử dụng Giấy xác nhận", "textarea"),
    ],
    "1.004222": [
        _field("ho_ten", "Họ, chữ đệm và tên người đăng ký"),
        _field("so_dinh_danh", _ID),
        _field("dia_chi_moi", "Địa chỉ đăng ký thường trú"),
        _field("truong_hop", "Trường hợp đăng ký", "select",
               choices=["Chỗ ở hợp pháp thuộc quyền sở hữu của mình", "Về ở với người thân",
                        "Chỗ ở thuê, mượn, ở nhờ", "Trường hợp khác"]),
        _field("ho_ten_chu_ho", "Họ, chữ đệm và tên chủ hộ", required=False),
        _field("quan_he_chu_ho", "Quan hệ với chủ hộ", required=False),
    ],
    "1.004194": [
        _field("ho_ten", "Họ, chữ đệm và tên người đăng ký"),
        _field("so_dinh_danh", _ID),
        _field("dia_chi_tam_tru", "Địa chỉ đăng ký tạm trú"),
        _field("tam_tru_tu", "Tạm trú từ ngày", "date"),
        _field("tam_tru_den", "Tạm trú đến ngày", "date"),
        _field("ly_do", "Lý do đăng ký tạm trú", "textarea"),
    ],
    "1.001612": [
        _field("ten_ho_kinh_doanh", "Tên hộ kinh doanh"),
        _field("dia_diem", "Địa điểm kinh doanh"),
        _field("nganh_nghe", "Ngành, nghề kinh doanh", "textarea"),
        _field("von_kinh_doanh", "Vốn kinh doanh (đồng)", "number"),
        _field("so_lao_dong", "Số lao động", "number", required=False),
        _field("ho_ten_chu_ho", "Họ, chữ đệm và tên chủ hộ kinh doanh"),
        _field("so_dinh_danh_chu_ho", f"{_ID} của chủ hộ"),
        _field("dien_thoai", "Số điện thoại liên hệ"),
    ],
}


def _processing_time(record: dict) -> tuple[Decimal | None, int | None, list[str]]:
    """Time of the counter (truc_tiep) mode; missing units read as working days, and said so."""
    notes: list[str] = []
    counter = next((m for m in record["modes"] if m["mode"] == "truc_tiep" and m.get("processing_time")), None)
    time = (counter or {}).get("processing_time") or {}
    value, unit = time.get("value"), time.get("unit")
    if value is None:
        days, reason = MISSING_TIME[record["code"]]
        notes.append(f"Nguồn không ghi thời hạn; tạm áp dụng {reason} – cần đối chiếu quyết định công bố của tỉnh.")
        return days, None, notes
    if unit == "hour":
        return None, int(value), notes
    if unit is None:
        notes.append(f"Nguồn ghi thời hạn “{time.get('raw')}” không kèm đơn vị; tính là ngày làm việc.")
    elif unit == "day":
        notes.append(f"Nguồn ghi “{time.get('raw')}” (không ghi “làm việc”); tính là ngày làm việc.")
    others = sorted({m["processing_time"]["raw"] for m in record["modes"]
                     if m.get("processing_time") and m["processing_time"].get("raw") != time.get("raw")})
    if others:
        notes.append(f"Thời hạn theo hình thức khác: {'; '.join(others)}.")
    return Decimal(str(value)), None, notes


def _fees(record: dict) -> list[dict]:
    fees: list[dict] = []
    for mode in record["modes"]:
        fee = mode.get("fee")
        entry = {"mode": mode["mode"], "vnd": None, "text": "Không có thông tin"}
        if fee:
            entry = {"mode": mode["mode"], "vnd": fee.get("vnd"),
                     "text": fee.get("raw", "") + (f" ({fee['note']})" if fee.get("note") else "")}
        if entry not in fees:
            fees.append(entry)
    return fees


def _online_mode(record: dict, fees: list[dict]) -> str:
    if not record.get("online_submission"):
        return OnlineMode.NONE
    has_fee = any((fee.get("vnd") or 0) > 0 for fee in fees)
    return OnlineMode.PARTIAL if has_fee else OnlineMode.FULL


def _papers(record: dict) -> list[dict]:
    return [{"name": p["name"], "kind": p["kind"], "originals": p["ban_chinh"], "copies": p["ban_sao"],
             "condition": p.get("condition") or "",
             "mandatory": not p.get("condition") or p["condition"].startswith(MANDATORY_CONDITIONS)}
            for p in record["papers"]]


def procedure_document(record: dict) -> dict:
    """One sample record in the catalogue's JSON import format (one unnumbered version: "the rules now")."""
    field_code = FIELD_CODES.get(record["field"]) or slugify_vietnamese(record["field"])
    days, hours, notes = _processing_time(record)
    fees = _fees(record)
    online_mode = _online_mode(record, fees)
    steps = _resolve_agencies(SPECIAL_STEPS.get(record["code"]) or default_steps(
        level=record["level"], field_code=field_code, days=days, hours=hours))
    if record.get("notes"):
        notes.insert(0, record["notes"])
    notes.append("Quy trình nội bộ là quy trình mẫu của hệ thống, chưa phải quy trình tỉnh công bố.")
    notes.append(f"Nguồn: {record['source_url']}")
    agency = record.get("implementing_agency_camau") or record.get("implementing_agency_catalogue") or ""
    return {
        "code": record["code"],
        "name": record["name"],
        "field": field_code,
        "level": record["level"],
        "is_active": True,
        "versions": [{
            "valid_from": VALID_FROM.isoformat(),
            "implementing_agency": agency[:500],
            "processing_days": float(days) if days is not None else None,
            "processing_hours": hours,
            "count_receipt_day": False,
            "online_mode": online_mode,
            "online_result": online_mode == OnlineMode.FULL,
            "consultation_allowed": any(s["is_consultation"] for s in steps),
            "fees": fees,
            "result_documents": [{"code": r.get("code") or "", "name": r["name"]} for r in record["results"]],
            "legal_basis": f"Quyết định công bố thủ tục hành chính số {record['publishing_decision']}.",
            "form_schema": FORM_SCHEMAS.get(record["code"], []),
            "notes": "\n".join(notes),
            "papers": _papers(record),
            "steps": steps,
        }],
    }


def demo_document(path: Path = DATA_FILE) -> dict:
    records = json.loads(path.read_text(encoding="utf-8"))["procedures"]
    fields = {r["field"]: FIELD_CODES.get(r["field"]) or slugify_vietnamese(r["field"]) for r in records}
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "fields": [{"code": code, "name": name} for name, code in fields.items()],
        "procedures": [procedure_document(r) for r in records],
    }


def demo_catalogue_load(*, actor=None, path: Path = DATA_FILE) -> ImportReport:
    """Load (or refresh) the demo catalogue; running it twice changes nothing the second time."""
    return catalogue_import_document(actor=actor, doc=demo_document(path))
