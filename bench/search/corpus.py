"""Synthetic Vietnamese administrative documents for the search benchmark: deterministic (seeded), realistic
in vocabulary and length (a summary of 12–30 syllables, a body of about 120–200), typed numbers and notations
(``123/QĐ-UBND``), 120 agencies with their own documents, 2% secret, some assigned to a person."""

import datetime as dt
import random

TYPES = [("quyet-dinh", "Quyết định", "QĐ"), ("cong-van", "Công văn", ""), ("ke-hoach", "Kế hoạch", "KH"),
         ("bao-cao", "Báo cáo", "BC"), ("thong-bao", "Thông báo", "TB"), ("to-trinh", "Tờ trình", "TTr"),
         ("chi-thi", "Chỉ thị", "CT"), ("giay-moi", "Giấy mời", "GM"), ("huong-dan", "Hướng dẫn", "HD")]
ISSUERS = [("Ủy ban nhân dân tỉnh Cà Mau", "UBND"), ("Sở Tư pháp", "STP"), ("Sở Tài chính", "STC"),
           ("Sở Tài nguyên và Môi trường", "STNMT"), ("Sở Nội vụ", "SNV"), ("Sở Xây dựng", "SXD"),
           ("Sở Nông nghiệp và Phát triển nông thôn", "SNN"), ("Ủy ban nhân dân huyện Năm Căn", "UBND"),
           ("Ủy ban nhân dân huyện Ngọc Hiển", "UBND"), ("Sở Kế hoạch và Đầu tư", "SKHĐT"),
           ("Văn phòng Ủy ban nhân dân tỉnh", "VP"), ("Bộ Tư pháp", "BTP"), ("Sở Giáo dục và Đào tạo", "SGDĐT")]
UNITS = ["KT", "TH", "NC", "VX", "XD", "HCTP", "QLĐĐ", "TCKH"]
TOPICS = [
    "quản lý đất đai", "giao đất cho thuê đất", "bồi thường giải phóng mặt bằng", "đăng ký hộ tịch",
    "cải cách hành chính", "chuyển đổi số", "xây dựng nông thôn mới", "phòng chống thiên tai",
    "tu bổ đê điều", "bảo vệ môi trường", "đầu tư công", "dự toán ngân sách nhà nước", "quyết toán kinh phí",
    "tuyển dụng công chức", "thi đua khen thưởng", "phòng chống dịch bệnh", "nuôi trồng thủy sản",
    "khai thác hải sản", "trồng rừng ngập mặn", "an toàn giao thông", "cấp giấy chứng nhận quyền sử dụng đất",
    "tiếp công dân", "giải quyết khiếu nại tố cáo", "phổ biến giáo dục pháp luật", "thủ tục hành chính",
    "dịch vụ công trực tuyến", "kiểm tra chuyên ngành", "quy hoạch sử dụng đất", "xây dựng cơ bản",
    "bảo hiểm xã hội", "giảm nghèo bền vững", "phát triển du lịch", "an ninh trật tự", "sáp nhập đơn vị hành chính",
]
PLACES = ["tỉnh Cà Mau", "huyện Năm Căn", "huyện Ngọc Hiển", "huyện Đầm Dơi", "huyện Cái Nước", "thành phố Cà Mau",
          "huyện U Minh", "huyện Trần Văn Thời", "xã Đất Mũi", "huyện Phú Tân", "huyện Thới Bình"]
VERBS = ["về việc triển khai", "về việc thực hiện", "về việc phê duyệt", "về việc tăng cường", "về việc hướng dẫn",
         "về việc kiểm tra", "về việc báo cáo kết quả", "về việc điều chỉnh", "về việc ban hành kế hoạch",
         "về việc đôn đốc", "về việc góp ý dự thảo", "về việc tổ chức hội nghị"]
SENTENCES = [
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015",
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư",
    "Xét đề nghị của Giám đốc Sở tại Tờ trình số {n}/TTr-{u}",
    "Ủy ban nhân dân tỉnh yêu cầu các sở, ban, ngành và Ủy ban nhân dân các huyện triển khai thực hiện {t}",
    "Giao {i} chủ trì, phối hợp với các cơ quan liên quan tổ chức thực hiện {t} tại {p}",
    "Thời gian thực hiện từ ngày ký đến hết năm {y}, báo cáo kết quả trước ngày 15 tháng 12",
    "Kinh phí thực hiện từ nguồn ngân sách nhà nước và các nguồn vốn hợp pháp khác",
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, kịp thời báo cáo để xem xét, giải quyết",
    "Tình hình {t} trên địa bàn {p} trong thời gian qua đã đạt được nhiều kết quả quan trọng",
    "Tuy nhiên, công tác {t} vẫn còn một số hạn chế, tồn tại cần khắc phục",
    "Đề nghị Thủ trưởng các cơ quan, đơn vị quan tâm chỉ đạo, đôn đốc thực hiện nghiêm túc",
    "Chánh Văn phòng, Giám đốc các sở và Chủ tịch Ủy ban nhân dân các huyện chịu trách nhiệm thi hành",
    "Hộ gia đình, cá nhân có nhu cầu liên hệ bộ phận một cửa để được hướng dẫn",
    "Quyết định này có hiệu lực thi hành kể từ ngày ký",
]
AGENCIES = 120


def document(rng: random.Random, n: int) -> dict:
    """One synthetic document; ``n`` makes keys unique."""
    type_code, type_name, abbr = rng.choice(TYPES)
    issuer, issuer_abbr = rng.choice(ISSUERS)
    number = rng.randint(1, 3000)
    notation = f"{abbr}-{issuer_abbr}" if abbr else f"{issuer_abbr}-{rng.choice(UNITS)}"
    topic, place = rng.choice(TOPICS), rng.choice(PLACES)
    summary = f"{type_name} {rng.choice(VERBS)} {topic} trên địa bàn {place}"
    if rng.random() < 0.5:
        summary += f" năm {rng.choice((2023, 2024, 2025, 2026))}"
    fill = {"n": rng.randint(1, 900), "u": rng.choice(("STP", "STC", "SNV", "SXD")), "t": topic,
            "i": rng.choice(ISSUERS)[0], "p": place, "y": rng.choice((2024, 2025, 2026))}
    second = rng.choice(TOPICS)
    body = ". ".join(s.format(**{**fill, "t": rng.choice((topic, topic, second))})
                     for s in rng.sample(SENTENCES, rng.randint(5, 8)))
    agency = rng.randrange(AGENCIES)
    secret = rng.random() < 0.02
    principals = ["*", f"m:{agency}" if secret else f"a:{agency}"]
    if rng.random() < 0.3:
        principals.append(f"u:{agency * 100 + rng.randrange(40)}")
    day = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(1400))
    return {"key": f"incoming:{n}", "direction": rng.choice(("incoming", "incoming", "outgoing")), "uuid": str(n),
            "number_notation": f"{number}/{notation}", "summary": summary, "issuer": issuer, "body": body,
            "type_code": type_code, "type_name": type_name, "status": rng.choice(("registered", "assigned", "done")),
            "date": day, "principals": principals, "secrecy": 1 if secret else 0, "agency": agency}


def documents(n: int, *, seed: int = 20260, start: int = 0):
    rng = random.Random(seed)
    for i in range(n):
        doc = document(rng, i)
        if i >= start:
            yield doc
