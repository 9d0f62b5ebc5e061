"""Applicants of generated dossiers: Vietnamese names (family names by their real frequency), citizen ID numbers of
Cà Mau (province code 096), businesses, phone numbers, addresses in the receiving commune."""

import bisect
import random

FAMILY = [("Nguyễn", 38), ("Trần", 11), ("Lê", 9.5), ("Phạm", 7), ("Huỳnh", 5), ("Võ", 4), ("Phan", 4),
          ("Trương", 2.5), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 1.5), ("Hồ", 1.5), ("Ngô", 1.3), ("Dương", 1.2),
          ("Lý", 1.1), ("Lâm", 1), ("Tô", 0.8), ("Quách", 0.6), ("Châu", 0.6), ("Mai", 0.5), ("Đinh", 0.5),
          ("Tăng", 0.4), ("Thái", 0.4), ("Kiều", 0.3), ("Triệu", 0.3), ("Danh", 0.5), ("Thạch", 0.4)]
MIDDLE_MALE = ["Văn", "Văn", "Văn", "Minh", "Hữu", "Quốc", "Thanh", "Hoàng", "Công", "Đức", "Tấn", "Chí", "Ngọc"]
MIDDLE_FEMALE = ["Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mỹ", "Bích", "Thị Thu", "Thị Ngọc", "Hồng"]
GIVEN_MALE = ["An", "Bình", "Cường", "Dũng", "Duy", "Đạt", "Hải", "Hậu", "Hiếu", "Hòa", "Hùng", "Huy", "Khang",
              "Khánh", "Kiệt", "Lâm", "Lợi", "Long", "Luân", "Minh", "Nam", "Nghĩa", "Nhân", "Phát", "Phong",
              "Phúc", "Quang", "Sang", "Sơn", "Tài", "Tâm", "Tân", "Thành", "Thắng", "Thiện", "Thịnh", "Toàn",
              "Trí", "Trung", "Tuấn", "Việt", "Vinh", "Vũ", "Sáu", "Út", "Em"]
GIVEN_FEMALE = ["Anh", "Ánh", "Bích", "Châu", "Diễm", "Dung", "Duyên", "Giang", "Hà", "Hạnh", "Hằng", "Hiền",
                "Hoa", "Hồng", "Hương", "Lan", "Liên", "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhi",
                "Nhung", "Oanh", "Phượng", "Quyên", "Tâm", "Thảo", "Thơ", "Thu", "Thúy", "Trang", "Trâm", "Trinh",
                "Tuyết", "Uyên", "Vân", "Vy", "Xuân", "Yến"]
BUSINESS_WORDS = ["Phát Đạt", "Minh Phú", "Thành Công", "Hưng Thịnh", "Đất Mũi", "Năm Căn", "Sông Đốc", "Phú Tân",
                  "Tân Thành", "An Khang", "Thủy sản Cà Mau", "Xây dựng Miền Tây", "Vận tải Hòa Bình",
                  "Nông nghiệp Bạc Liêu", "Thương mại Giá Rai", "Cơ khí Tân Lộc", "Tôm giống Rạch Gốc"]
BUSINESS_FORMS = ["Công ty TNHH", "Công ty TNHH MTV", "Công ty Cổ phần", "Hợp tác xã", "Doanh nghiệp tư nhân"]
BUSINESS_PLACES = ["Cà Mau", "Bạc Liêu", "Miền Nam", "Phương Nam", "Đất Mũi"]
HAMLETS = ["Ấp 1", "Ấp 2", "Ấp 3", "Ấp 4", "Ấp 5", "Ấp Tân Hòa", "Ấp Đông Hưng", "Ấp Kinh Tư", "Ấp Rạch Ruộng",
           "Ấp Cái Su", "Ấp Xóm Mới"]
QUARTERS = ["Khóm 1", "Khóm 2", "Khóm 3", "Khóm 5", "Khóm 7"]
STREETS = ["Lý Thường Kiệt", "Trần Hưng Đạo", "Nguyễn Tất Thành", "Phan Ngọc Hiển", "Ngô Quyền", "Hùng Vương",
           "Trần Phú", "Nguyễn Trãi", "Lê Lợi", "Quang Trung", "Nguyễn Du", "Hoàng Diệu", "Võ Thị Sáu"]
PHONE_PREFIXES = ["090", "091", "093", "094", "096", "097", "098", "032", "033", "034", "035", "036", "037",
                  "038", "039", "070", "076", "077", "078", "079", "081", "082", "083", "084", "085", "088", "086"]


def cumulative(weights) -> list[float]:
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


class People:
    """Draws applicants from one seeded random generator."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.families = [name for name, _ in FAMILY]
        self.family_cum = cumulative(weight for _, weight in FAMILY)

    def person(self) -> tuple[str, bool]:
        """A full name (family, middle, given) and whether the person is a woman."""
        rng = self.rng
        female = rng.random() < 0.52
        family = self.families[bisect.bisect(self.family_cum, rng.random() * self.family_cum[-1])]
        middle = rng.choice(MIDDLE_FEMALE if female else MIDDLE_MALE)
        given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
        return f"{family} {middle} {given}", female

    def id_number(self, female: bool) -> str:
        """A 12-digit citizen ID of Cà Mau: 096, century and sex digit, year of birth, six digits."""
        rng = self.rng
        year = rng.randint(1950, 2007)
        century = (0 if year < 2000 else 2) + (1 if female else 0)
        return f"096{century}{year % 100:02d}{rng.randint(0, 999999):06d}"

    def business(self) -> tuple[str, str]:
        """A business name and its 10-digit tax code (enterprise code)."""
        rng = self.rng
        name = f"{rng.choice(BUSINESS_FORMS)} {rng.choice(BUSINESS_WORDS)}"
        if rng.random() < 0.5:
            name += f" {rng.choice(BUSINESS_PLACES)}"
        return name, f"2001{rng.randint(0, 999999):06d}"

    def phone(self) -> str:
        return f"{self.rng.choice(PHONE_PREFIXES)}{self.rng.randint(0, 9_999_999):07d}"

    def address(self, place: str) -> str:
        """An address in ``place`` ("xã Năm Căn", "phường An Xuyên")."""
        rng = self.rng
        if place.startswith("phường"):
            return (f"Số {rng.randint(1, 450)}, đường {rng.choice(STREETS)}, {rng.choice(QUARTERS)}, {place}, "
                    "tỉnh Cà Mau")
        return f"{rng.choice(HAMLETS)}, {place}, tỉnh Cà Mau"
