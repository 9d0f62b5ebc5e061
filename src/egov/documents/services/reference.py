"""Reference data of the document system: document types, retention periods, and the demo registers.

Document types (NĐ 30/2020/NĐ-CP Art. 7, abbreviations of Phụ lục III; SPEC §3.1): the 29 administrative
types of Art. 7, i.e. the 27 with an abbreviation plus **Công văn** and **Thư công**, which have none (a Công
văn's symbol is ``<agency>-<drafting unit>``, e.g. ``45/UBND-VP``). Mixed-case abbreviations keep their case
(``QyĐ``, ``CTr``, ``TTr``) and ``Đ`` is U+0110. Copies (SY, TrS, SL) are forms of copying, not types, so they
are not listed.

``is_legal_normative`` marks the types that *can* be a legal normative document (VBQPPL) of a province:
Nghị quyết (of the People's Council) and Quyết định (of the People's Committee), which then get a series of
their own (Art. 15) and the year in the number (``15/2024/QĐ-UBND``). Judgement call, said plainly: Chỉ thị
is **not** flagged. It was a VBQPPL of a People's Committee under the 2004 law, but the Law on Promulgation
of Legal Normative Documents 2015 (and the 2025 law replacing it) no longer lists it, so a province's Chỉ
thị today is an individual (administrative) document and shares the regular series.

Retention periods: the values of TT 10/2022/TT-BNV's table of common agency records (Vĩnh viễn, 70, 50, 20,
10 and 5 years).

Loaded by the data migration ``0004_reference_data`` (every database has them) through
``reference_data_load``, which only adds what is missing and is safe to run again.
"""

from django.db import transaction

LEGAL_BASIS_TYPES = "Nghị định 30/2020/NĐ-CP, Điều 7 và Phụ lục III"
LEGAL_BASIS_RETENTION = "Thông tư 10/2022/TT-BNV ngày 19/12/2022 của Bộ Nội vụ"

# (code, name, abbreviation, is_legal_normative), in the order of NĐ 30/2020 Art. 7.
DOCUMENT_TYPES: list[tuple[str, str, str, bool]] = [
    ("nghi-quyet", "Nghị quyết", "NQ", True),
    ("quyet-dinh", "Quyết định", "QĐ", True),
    ("chi-thi", "Chỉ thị", "CT", False),
    ("quy-che", "Quy chế", "QC", False),
    ("quy-dinh", "Quy định", "QyĐ", False),
    ("thong-cao", "Thông cáo", "TC", False),
    ("thong-bao", "Thông báo", "TB", False),
    ("huong-dan", "Hướng dẫn", "HD", False),
    ("chuong-trinh", "Chương trình", "CTr", False),
    ("ke-hoach", "Kế hoạch", "KH", False),
    ("phuong-an", "Phương án", "PA", False),
    ("de-an", "Đề án", "ĐA", False),
    ("du-an", "Dự án", "DA", False),
    ("bao-cao", "Báo cáo", "BC", False),
    ("bien-ban", "Biên bản", "BB", False),
    ("to-trinh", "Tờ trình", "TTr", False),
    ("hop-dong", "Hợp đồng", "HĐ", False),
    ("cong-van", "Công văn", "", False),
    ("cong-dien", "Công điện", "CĐ", False),
    ("ban-ghi-nho", "Bản ghi nhớ", "BGN", False),
    ("ban-thoa-thuan", "Bản thỏa thuận", "BTT", False),
    ("giay-uy-quyen", "Giấy ủy quyền", "GUQ", False),
    ("giay-moi", "Giấy mời", "GM", False),
    ("giay-gioi-thieu", "Giấy giới thiệu", "GGT", False),
    ("giay-nghi-phep", "Giấy nghỉ phép", "GNP", False),
    ("phieu-gui", "Phiếu gửi", "PG", False),
    ("phieu-chuyen", "Phiếu chuyển", "PC", False),
    ("phieu-bao", "Phiếu báo", "PB", False),
    ("thu-cong", "Thư công", "", False),
]

# (code, name, years or None for permanent)
RETENTION_PERIODS: list[tuple[str, str, int | None]] = [
    ("vinh-vien", "Vĩnh viễn", None),
    ("70-nam", "70 năm", 70),
    ("50-nam", "50 năm", 50),
    ("20-nam", "20 năm", 20),
    ("10-nam", "10 năm", 10),
    ("5-nam", "5 năm", 5),
]


def reference_data_load(apps=None) -> dict:
    """Create the missing document types and retention periods (existing rows are left as edited).

    ``apps`` is the migration's app registry; without it the current models are used."""
    if apps is None:
        from django.apps import apps as current_apps

        apps = current_apps
    document_type = apps.get_model("documents", "DocumentType")
    retention = apps.get_model("documents", "RetentionPeriod")
    created = {"types": 0, "retention": 0}
    with transaction.atomic():
        existing = set(document_type.objects.values_list("code", flat=True))
        for order, (code, name, abbreviation, legal) in enumerate(DOCUMENT_TYPES, start=1):
            if code not in existing:
                document_type.objects.create(code=code, name=name, abbreviation=abbreviation,
                                             is_legal_normative=legal, sort_order=order * 10)
                created["types"] += 1
        existing = set(retention.objects.values_list("code", flat=True))
        for code, name, years in RETENTION_PERIODS:
            if code not in existing:
                retention.objects.create(code=code, name=name, years=years, legal_basis=LEGAL_BASIS_RETENTION)
                created["retention"] += 1
    return created


def document_type_by_code(code: str):
    from egov.documents.models import DocumentType

    return DocumentType.objects.filter(code=code).first()


def number_notation_build(*, number: str, notation: str) -> str:
    """``123/QĐ-UBND`` from its parts; either part alone when the other is missing."""
    number, notation = (number or "").strip(), (notation or "").strip()
    if number and notation:
        return f"{number}/{notation}"
    return number or notation


def number_notation_split(value: str) -> tuple[str, str]:
    """``("123", "QĐ-UBND")`` from ``123/QĐ-UBND``; legal documents keep the year with the notation
    (``15/2024/QĐ-UBND`` → ``("15", "2024/QĐ-UBND")``)."""
    text = (value or "").strip()
    if "/" not in text:
        return (text, "") if text.isdigit() else ("", text)
    number, notation = text.split("/", 1)
    return number.strip(), notation.strip()
