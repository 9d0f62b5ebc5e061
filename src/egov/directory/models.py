"""The directory: agencies (a tree, with renames, mergers and splits), their units, positions, officials."""

from django.conf import settings
from django.db import models

from egov.core.models import BaseModel


class AgencyKind(models.TextChoices):
    PROVINCE_COMMITTEE = "ubnd_tinh", "Ủy ban nhân dân tỉnh"
    OFFICE = "van_phong", "Văn phòng"
    DEPARTMENT = "so", "Sở, ban, ngành"
    DISTRICT = "huyen", "Cấp huyện (lưu lịch sử)"
    COMMUNE = "xa", "Xã"
    WARD = "phuong", "Phường"
    OTHER = "khac", "Đơn vị khác"


class Agency(BaseModel):
    """A state agency. ``code`` is our stable public key; the two electronic ID codes are the legal ones."""

    code = models.CharField("mã", max_length=40, unique=True)
    name = models.CharField("tên đầy đủ", max_length=255)
    abbreviation = models.CharField("chữ viết tắt trong ký hiệu văn bản", max_length=30)
    kind = models.CharField("loại", max_length=20, choices=AgencyKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name="cơ quan cấp trên", null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    code_qcvn102 = models.CharField(
        "mã định danh (QCVN 102)", max_length=13, null=True, blank=True, unique=True
    )
    code_qd20 = models.CharField(
        "mã định danh (QĐ 20/2020)", max_length=35, null=True, blank=True, unique=True
    )
    admin_unit_code = models.CharField("mã ĐVHC", max_length=10, blank=True)
    address = models.CharField("địa chỉ", max_length=255, blank=True)
    phone = models.CharField("điện thoại", max_length=30, blank=True)
    email = models.EmailField("thư điện tử", blank=True)
    is_active = models.BooleanField("đang hoạt động", default=True)
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)
    note = models.TextField("ghi chú", blank=True, help_text="Nguồn, căn cứ, mức độ xác thực của thông tin")

    class Meta:
        ordering = ["name"]
        verbose_name = "cơ quan"
        verbose_name_plural = "cơ quan"

    def __str__(self) -> str:
        return self.name


class SuccessionKind(models.TextChoices):
    RENAME = "rename", "Đổi tên"
    MERGE = "merge", "Hợp nhất, sáp nhập"
    SPLIT = "split", "Chia tách"


class AgencySuccession(BaseModel):
    """A link from an agency that ceased (or was renamed) to an agency that took over its records."""

    predecessor = models.ForeignKey(
        Agency, verbose_name="cơ quan trước", on_delete=models.PROTECT, related_name="successions_out"
    )
    successor = models.ForeignKey(
        Agency, verbose_name="cơ quan kế thừa", on_delete=models.PROTECT, related_name="successions_in"
    )
    kind = models.CharField("hình thức", max_length=10, choices=SuccessionKind.choices)
    effective_date = models.DateField("ngày hiệu lực")
    decision = models.CharField("văn bản quyết định", max_length=255, blank=True)

    class Meta:
        verbose_name = "kế thừa cơ quan"
        verbose_name_plural = "kế thừa cơ quan"
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="uniq_agency_succession"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.get_kind_display()})"


class AgencyNameHistory(BaseModel):
    """Former names of an agency, kept when it is renamed."""

    agency = models.ForeignKey(Agency, verbose_name="cơ quan", on_delete=models.CASCADE, related_name="name_history")
    name = models.CharField("tên cũ", max_length=255)
    abbreviation = models.CharField("chữ viết tắt cũ", max_length=30, blank=True)
    valid_to = models.DateField("dùng đến ngày")
    decision = models.CharField("văn bản quyết định", max_length=255, blank=True)

    class Meta:
        ordering = ["-valid_to"]
        verbose_name = "tên cũ của cơ quan"
        verbose_name_plural = "tên cũ của cơ quan"

    def __str__(self) -> str:
        return f"{self.name} (đến {self.valid_to:%d/%m/%Y})"


class Unit(BaseModel):
    """A unit inside an agency (phòng, ban, bộ phận); units may nest."""

    agency = models.ForeignKey(Agency, verbose_name="cơ quan", on_delete=models.PROTECT, related_name="units")
    parent = models.ForeignKey(
        "self", verbose_name="phòng, ban cấp trên", null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.CharField("mã", max_length=40)
    name = models.CharField("tên", max_length=255)
    is_active = models.BooleanField("đang hoạt động", default=True)

    class Meta:
        ordering = ["agency__name", "name"]
        verbose_name = "phòng, ban"
        verbose_name_plural = "phòng, ban"
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="uniq_unit_code_per_agency")]

    def __str__(self) -> str:
        return f"{self.name} – {self.agency.abbreviation}"


class Position(BaseModel):
    """A position (chức vụ) such as Giám đốc, Chánh Văn phòng, Chuyên viên."""

    code = models.CharField("mã", max_length=40, unique=True)
    name = models.CharField("chức vụ", max_length=120)
    rank = models.PositiveSmallIntegerField("thứ bậc", default=100, help_text="Nhỏ hơn là cao hơn")

    class Meta:
        ordering = ["rank", "name"]
        verbose_name = "chức vụ"
        verbose_name_plural = "chức vụ"

    def __str__(self) -> str:
        return self.name


class Official(BaseModel):
    """An official (cán bộ, công chức): an account working in an agency, optionally a unit, in a position."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="tài khoản", on_delete=models.PROTECT, related_name="official"
    )
    agency = models.ForeignKey(Agency, verbose_name="cơ quan", on_delete=models.PROTECT, related_name="officials")
    unit = models.ForeignKey(
        Unit, verbose_name="phòng, ban", null=True, blank=True, on_delete=models.PROTECT, related_name="officials"
    )
    position = models.ForeignKey(
        Position, verbose_name="chức vụ", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    phone = models.CharField("điện thoại", max_length=20, blank=True)
    email = models.EmailField("thư điện tử", blank=True)
    is_active = models.BooleanField("đang công tác", default=True)

    class Meta:
        ordering = ["agency__name", "user__full_name"]
        verbose_name = "cán bộ"
        verbose_name_plural = "cán bộ"

    def __str__(self) -> str:
        return f"{self.user} – {self.agency.abbreviation}"
