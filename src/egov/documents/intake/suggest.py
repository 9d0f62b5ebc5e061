"""Suggest a document's metadata from its text (NĐ 30/2020 layout, Art. 8 and Phụ lục I), for the clerk to
confirm: number/notation, date, issuing agency, type and summary.

The header of a Vietnamese administrative document is fixed: the issuing body's name (often under its parent,
``UBND TỈNH CÀ MAU`` / ``SỞ TƯ PHÁP``) above ``Số: 123/QĐ-UBND``, the national motto on the right with the
place and date (``Cà Mau, ngày 05 tháng 01 năm 2026``), then the type in capitals (``QUYẾT ĐỊNH``) and the
summary below it, or, for a Công văn (no type line), the summary as ``V/v ...`` under the number. Text from a
PDF's two-column header or from OCR merges or splits these lines, so every rule here works line by line and
tolerates the motto on the same line, stray spaces around ``/`` and ``-``, and ``Ð`` (U+00D0) for ``Đ``.
"""

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

HEADER_LINES = 60

# NĐ 30/2020 Phụ lục III (SPEC §3.1): name -> abbreviation. Công văn has none.
TYPE_ABBREVIATIONS: dict[str, str] = {
    "Nghị quyết": "NQ", "Quyết định": "QĐ", "Chỉ thị": "CT", "Quy chế": "QC", "Quy định": "QyĐ",
    "Thông cáo": "TC", "Thông báo": "TB", "Hướng dẫn": "HD", "Chương trình": "CTr", "Kế hoạch": "KH",
    "Phương án": "PA", "Đề án": "ĐA", "Dự án": "DA", "Báo cáo": "BC", "Biên bản": "BB", "Tờ trình": "TTr",
    "Hợp đồng": "HĐ", "Công điện": "CĐ", "Bản ghi nhớ": "BGN", "Bản thỏa thuận": "BTT", "Giấy ủy quyền": "GUQ",
    "Giấy mời": "GM", "Giấy giới thiệu": "GGT", "Giấy nghỉ phép": "GNP", "Phiếu gửi": "PG", "Phiếu chuyển": "PC",
    "Phiếu báo": "PB", "Công văn": "", "Thư công": "",
}
COPY_ABBREVIATIONS = {"SY": "Bản sao y", "TrS": "Bản trích sao", "SL": "Bản sao lục"}
CONTINUATION_WORDS = ("TỈNH", "HUYỆN", "XÃ", "PHƯỜNG", "THỊ TRẤN", "THỊ XÃ", "THÀNH PHỐ", "QUẬN", "ĐẶC KHU")
MOTTO_PATTERNS = (
    # The motto wraps in a narrow column ("... VIỆT" / "NAM"): its tail alone on a line goes too.
    re.compile(r"C[ỘO]NG\s*H[ÒOÓ]A\s*X[ÃA]\s*H[ỘO]I\s*CH[ỦU]\s*NGH[ĨI]A(?:\s*VI[ỆE]T(?:\s*NAM)?)?", re.IGNORECASE),
    re.compile(r"^\s*(?:VI[ỆE]T\s*)?NAM\s*$"),
    re.compile(r"Đ[ộo]c\s*l[ậa]p\s*[-–—]\s*T[ựu]\s*do\s*[-–—]\s*H[ạa]nh\s*ph[úu]c", re.IGNORECASE),
)
SUMMARY_STOP = re.compile(r"^(Căn cứ|Kính gửi|Thực hiện|Theo|Xét|Nơi nhận|Điều \d|I\.|1\.)", re.IGNORECASE)
RULE_LINE = re.compile(r"^[\s_\-–—=.*]+$")

# One group of a notation: starts with an upper-case letter (Đ included), then letters and digits, which keeps
# mixed-case codes (QyĐ, CTr, TTr, TrS) and agency codes with digits (SGDĐT, BCĐ389) as written.
_GROUP = r"[A-ZĐ][A-Za-zĐđ0-9]*"
NOTATION_RE = re.compile(rf"(?:(?:19|20)\d\d/)?{_GROUP}(?:-{_GROUP})*")
NUMBER_NOTATION_RE = re.compile(rf"(?<![\w/])(\d{{1,11}})/((?:(?:19|20)\d\d/)?{_GROUP}(?:-{_GROUP})*)(?![\w/])")
SO_LINE_RE = re.compile(r"(?:^|\s)S[ốôoóồ][ \t]*[:.;]?[ \t]*(?=\d)", re.IGNORECASE)
DATE_RE = re.compile(
    r"ng[àaá]y\s*(\d{1,2})\s*th[áa]ng\s*(\d{1,2})\s*n[ăa]m\s*((?:19|20)\d\d)", re.IGNORECASE)
_UPPER = "A-ZÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝĂĐĨŨƠƯẠ-Ỹ"
# "<Place>, ngày 05 tháng 01 năm 2026" at the end of a line (the place: one to four capitalised words).
PLACE_DATE_RE = re.compile(
    rf"(?:(?:^|\s)(?:[{_UPPER}][\w.]*\s?){{1,4}},\s*|^\s*)"
    r"ng[àaá]y\s*\d{1,2}\s*th[áa]ng\s*\d{1,2}\s*n[ăa]m\s*\d{4}\s*$")
VV_RE = re.compile(r"^\s*V/v\.?\s*[:.]?\s*", re.IGNORECASE)


@dataclass(frozen=True)
class TypeRef:
    """A row of documents.DocumentType, passed in so that this module needs no database."""

    code: str
    name: str
    abbreviation: str = ""


def fold(text: str) -> str:
    """Lower case, no diacritics, ``đ`` as ``d``: for comparing names written in any case."""
    text = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d").replace("Ð", "D"))
    return " ".join("".join(ch for ch in text if not unicodedata.combining(ch)).lower().split())


def clean(text: str) -> str:
    """NFC, ``Ð`` (U+00D0, common in OCR and old fonts) as ``Đ`` (U+0110), dashes as ``-``."""
    text = unicodedata.normalize("NFC", text or "")
    return text.replace("Ð", "Đ").replace("ð", "đ").replace("–", "-").replace("—", "-").replace("\u00a0", " ")


def _squeeze_code(text: str) -> str:
    """``123 / QĐ - UBND`` (OCR spacing) as ``123/QĐ-UBND``."""
    return re.sub(r"\s*([/-])\s*", r"\1", text)


# --- number and notation -----------------------------------------------------------------------------------
def parse_number_notation(value: str) -> tuple[str, str] | None:
    """``'15/2024/QĐ-UBND'`` -> ``('15', '2024/QĐ-UBND')``; None when ``value`` is not a number/notation."""
    text = _squeeze_code(clean(value).strip())
    number, slash, notation = text.partition("/")
    if not slash or not re.fullmatch(r"\d{1,11}", number) or not NOTATION_RE.fullmatch(notation):
        return None
    return number, notation


def find_number_notation(lines: list[str]) -> tuple[int, str, str] | None:
    """(line index, number, notation) of the ``Số: ...`` in the header, else the first number/notation seen."""
    for index, line in enumerate(lines):
        marker = SO_LINE_RE.search(line)
        if marker:
            rest = _squeeze_code(line[marker.end():])
            found = NUMBER_NOTATION_RE.match(rest)
            if found:
                return index, found.group(1), found.group(2)
    for index, line in enumerate(lines):
        found = NUMBER_NOTATION_RE.search(_squeeze_code(line))
        if found:
            return index, found.group(1), found.group(2)
    return None


# --- date --------------------------------------------------------------------------------------------------
def parse_date(text: str) -> dt.date | None:
    """The first valid ``ngày 13 tháng 11 năm 2019`` in ``text`` (place before it allowed)."""
    for found in DATE_RE.finditer(clean(text)):
        day, month, year = (int(g) for g in found.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    return None


def find_date(lines: list[str]) -> dt.date | None:
    """The document's date: on the ``<place>, ngày ...`` line of the header, else the first date in it."""
    for line in lines:
        if re.search(r",\s*ng[àaá]y", line, re.IGNORECASE) or re.match(r"\s*ng[àaá]y\s*\d", line, re.IGNORECASE):
            found = parse_date(line)
            if found:
                return found
    return parse_date("\n".join(lines))


# --- issuer ------------------------------------------------------------------------------------------------
def strip_motto(line: str) -> str:
    for pattern in MOTTO_PATTERNS:
        line = pattern.sub(" ", line)
    return " ".join(line.split())


def _mostly_upper(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return bool(letters) and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)


def find_issuer(lines: list[str], number_line: int | None) -> tuple[str, str]:
    """(issuer, parent): the capitalised name lines above ``Số:``; a line starting a new body (not TỈNH...,
    which continues the name above) makes the earlier lines the parent body (cơ quan chủ quản)."""
    end = number_line if number_line is not None else min(len(lines), 6) - 1
    names: list[str] = []
    motto_cut = False  # the previous line ended "... CHỦ NGHĨA VIỆT": its "NAM" is on this line
    for index, raw in enumerate(lines[:end + 1]):
        line = raw
        if index == number_line:  # only what stands before "Số:" on that line
            marker = SO_LINE_RE.search(raw)
            line = raw[:marker.start()] if marker else ""
        if motto_cut:
            line = re.sub(r"^\s*NAM\b|\s+NAM\s*$", "", line, count=1)
        motto_cut = bool(re.search(r"NGH[ĨI]A\s*VI[ỆE]T\s*$", raw, re.IGNORECASE))
        line = strip_motto(line)
        line = re.sub(r",?\s*ng[àaá]y\s*\d.*$", "", line, flags=re.IGNORECASE).strip(" -_,.")
        if not line or RULE_LINE.match(line) or not _mostly_upper(line):
            continue
        if names and (line.startswith(CONTINUATION_WORDS) or names[-1].endswith(("NHÂN DÂN", "ỦY BAN"))):
            names[-1] = f"{names[-1]} {line}"
        else:
            names.append(line)
    if not names:
        return "", ""
    return names[-1], " ".join(names[:-1])


# --- type and summary --------------------------------------------------------------------------------------
def _type_names(types: Iterable[TypeRef]) -> list[TypeRef]:
    refs = list(types)
    known = {fold(ref.name) for ref in refs}
    refs += [TypeRef("", name, abbr) for name, abbr in TYPE_ABBREVIATIONS.items() if fold(name) not in known]
    return sorted(refs, key=lambda ref: -len(ref.name))  # "Bản thỏa thuận" before "Thỏa thuận"


def find_type_line(lines: list[str], start: int, refs: list[TypeRef]) -> tuple[int, TypeRef] | None:
    """A line after the number that is only a type name in capitals (``QUYẾT ĐỊNH``)."""
    for index in range(start, min(len(lines), start + 15)):
        line = strip_motto(lines[index]).strip(" .:")
        if not line or not _mostly_upper(line):
            continue
        folded = fold(line)
        for ref in refs:
            if folded == fold(ref.name):
                return index, ref
    return None


def type_from_notation(notation: str, refs: list[TypeRef]) -> TypeRef | None:
    """The type whose abbreviation is a group of the notation (``QĐ`` in ``15/QĐ-UBND``), case kept."""
    groups = notation.split("/")[-1].split("-")
    for group in groups:
        for ref in refs:
            if ref.abbreviation and ref.abbreviation == group:
                return ref
    return None


def _summary_lines(lines: list[str], start: int, *, limit: int = 4) -> str:
    parts: list[str] = []
    for line in lines[start:start + limit]:
        text = strip_motto(line).strip()
        dated = PLACE_DATE_RE.search(text)
        if dated:  # the right column's "<place>, ngày ..." on the same line or on the next one
            text = text[:dated.start()].strip()
            if not text:
                if parts:
                    break
                continue
        if not text or RULE_LINE.match(text) or SUMMARY_STOP.match(text) or (parts and _mostly_upper(text)):
            break
        parts.append(text)
    return " ".join(" ".join(parts).split())[:500]


def find_summary(lines: list[str], number_line: int | None, type_line: int | None) -> str:
    """The ``V/v ...`` line (Công văn), else the lines under the type title."""
    start = number_line or 0
    for index in range(start, min(len(lines), start + 8)):
        found = VV_RE.match(strip_motto(lines[index]))
        if found:
            rest = _summary_lines(lines, index)
            return rest
    if type_line is not None:
        return _summary_lines(lines, type_line + 1)
    return ""


# --- all together ------------------------------------------------------------------------------------------
def metadata_suggest(text: str, *, types: Iterable[TypeRef] = ()) -> dict[str, str]:
    """Every key is present (empty string when not found): number_notation, number, notation, issued_date
    (ISO), issuer_name, issuer_parent, type_code, type_name, summary."""
    lines = [clean(line).strip() for line in (text or "").split("\n")][:HEADER_LINES]
    refs = _type_names(types)
    result = dict.fromkeys(("number_notation", "number", "notation", "issued_date", "issuer_name",
                            "issuer_parent", "type_code", "type_name", "summary"), "")
    found = find_number_notation(lines)
    number_line = None
    if found:
        number_line, number, notation = found
        result.update(number=number, notation=notation, number_notation=f"{number}/{notation}")
    date = find_date(lines)
    if date:
        result["issued_date"] = date.isoformat()
    result["issuer_name"], result["issuer_parent"] = find_issuer(lines, number_line)
    typed = find_type_line(lines, (number_line or 0) + 1, refs)
    type_ref = typed[1] if typed else None
    if type_ref is None and result["notation"]:
        type_ref = type_from_notation(result["notation"], refs)
    summary = find_summary(lines, number_line, typed[0] if typed else None)
    if type_ref is None and VV_RE.match(summary):
        type_ref = next(ref for ref in refs if fold(ref.name) == "cong van")
    if type_ref is not None:
        result["type_code"], result["type_name"] = type_ref.code, type_ref.name
    result["summary"] = summary
    return result
