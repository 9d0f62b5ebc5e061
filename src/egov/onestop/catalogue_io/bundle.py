"""The shapes an import goes through: items with the place they came from, the report, file limits."""

import datetime as dt
from dataclasses import dataclass, field

FORMAT_NAME = "egov-onestop-catalogue"
FORMAT_VERSION = 1
MAX_IMPORT_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20000
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
VERSION_META = ("number", "valid_from", "valid_to")
VERSION_LISTS = ("papers", "steps", "fees", "result_documents")


@dataclass
class Item:
    loc: str
    raw: dict


@dataclass
class VersionIn:
    loc: str
    raw: dict
    papers: list[Item] = field(default_factory=list)
    steps: list[Item] = field(default_factory=list)
    fees: list[Item] = field(default_factory=list)
    results: list[Item] = field(default_factory=list)
    # filled by validation
    number: int | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    rules: dict | None = None


@dataclass
class ProcedureIn:
    loc: str
    head: dict
    versions: list[VersionIn] = field(default_factory=list)
    cleaned: dict | None = None


@dataclass
class Bundle:
    fields: list[Item] = field(default_factory=list)
    procedures: list[ProcedureIn] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    cleaned_fields: dict[str, str] = field(default_factory=dict)
    field_locs: dict[str, str] = field(default_factory=dict)


@dataclass
class ImportReport:
    dry_run: bool = False
    fields_created: list[str] = field(default_factory=list)
    fields_updated: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    new_versions: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return dict(self.__dict__)

    def summary(self) -> str:
        prefix = "Kiểm tra xong (chưa ghi): " if self.dry_run else "Đã nhập: "
        return prefix + (
            f"{len(self.created)} thủ tục mới, {len(self.updated)} thủ tục cập nhật, "
            f"{len(self.new_versions)} phiên bản mới, {len(self.unchanged)} không đổi; "
            f"{len(self.fields_created)} lĩnh vực mới."
        )
