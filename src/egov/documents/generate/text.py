"""Vietnamese summaries (trích yếu), instructions and recipients of generated documents, from templates and word
lists: what a province's registers read like (``Về việc…``, ``V/v…``, ``Kế hoạch triển khai…``)."""

import random

TOPICS = [
    "chuyển đổi số", "cải cách hành chính", "xây dựng nông thôn mới", "phòng, chống sạt lở bờ biển",
    "nuôi trồng thủy sản", "giải phóng mặt bằng", "quản lý đất đai", "bảo vệ và phát triển rừng ngập mặn",
    "phòng, chống dịch bệnh trên tôm nuôi", "phòng cháy, chữa cháy rừng", "an toàn giao thông",
    "chi trả chế độ bảo trợ xã hội", "giảm nghèo bền vững", "xây dựng đô thị văn minh", "bảo vệ môi trường",
    "thu ngân sách nhà nước", "giải ngân vốn đầu tư công", "tiếp công dân, giải quyết khiếu nại, tố cáo",
    "phổ biến, giáo dục pháp luật", "tuyển sinh đầu cấp", "tiêm chủng mở rộng", "bảo hiểm y tế học sinh",
    "sắp xếp đơn vị hành chính cấp xã", "chính quyền địa phương hai cấp", "đề án 06", "dịch vụ công trực tuyến",
    "chữ ký số", "phòng, chống tham nhũng, tiêu cực", "thực hành tiết kiệm, chống lãng phí", "an ninh trật tự",
    "phòng, chống thiên tai và tìm kiếm cứu nạn", "khai thác hải sản bất hợp pháp (IUU)", "quản lý tàu cá",
    "du lịch sinh thái Mũi Cà Mau", "xúc tiến đầu tư", "hỗ trợ doanh nghiệp nhỏ và vừa", "điện gió ngoài khơi",
    "chỉnh trang đô thị", "nước sạch nông thôn", "xóa nhà tạm, nhà dột nát", "chăm sóc người có công",
    "công tác dân vận", "thi đua, khen thưởng", "kiểm soát thủ tục hành chính", "lưu trữ hồ sơ điện tử",
    "an toàn thông tin mạng", "quy hoạch sử dụng đất", "cấp giấy chứng nhận quyền sử dụng đất",
    "thu gom, xử lý rác thải sinh hoạt", "phòng, chống đuối nước trẻ em", "Tết Nguyên đán",
]
PERIODS = ["quý I", "quý II", "quý III", "quý IV", "6 tháng đầu năm", "9 tháng", "năm", "tháng 10", "tháng 11"]
PLACES = ["trên địa bàn tỉnh", "trên địa bàn tỉnh Cà Mau", "tại các xã, phường", "trên địa bàn xã",
          "tại các xã ven biển", "trong toàn ngành"]
ACTIONS = ["triển khai thực hiện", "tăng cường", "đẩy mạnh", "tổ chức thực hiện", "rà soát, báo cáo",
           "góp ý dự thảo về", "tổng kết", "kiểm tra", "hướng dẫn thực hiện", "đề nghị cung cấp thông tin về"]
DECISION_ACTIONS = ["phê duyệt kế hoạch", "thành lập Tổ công tác", "ban hành Quy chế phối hợp về",
                    "giao chỉ tiêu", "phân bổ kinh phí thực hiện", "kiện toàn Ban Chỉ đạo", "khen thưởng thành tích",
                    "công bố danh mục thủ tục hành chính về", "phê duyệt dự toán"]
INSTRUCTIONS = [
    "Giao {unit} chủ trì, tham mưu xử lý theo quy định; báo cáo kết quả trước ngày {due}.",
    "Giao {unit} nghiên cứu, đề xuất; phối hợp các đơn vị liên quan.",
    "{unit} tham mưu văn bản trả lời, trình lãnh đạo trước ngày {due}.",
    "Chuyển {unit} xử lý, theo dõi, tổng hợp.",
    "{unit} kiểm tra, rà soát và tham mưu triển khai.",
]


def summary(rng: random.Random, type_code: str, year: int) -> str:
    topic = rng.choice(TOPICS)
    if type_code == "quyet-dinh":
        return f"Về việc {rng.choice(DECISION_ACTIONS)} {topic} năm {year}"
    if type_code == "ke-hoach":
        return f"Kế hoạch {rng.choice(ACTIONS)} {topic} {rng.choice(PLACES)} năm {year}"
    if type_code == "bao-cao":
        return f"Báo cáo kết quả thực hiện {topic} {rng.choice(PERIODS)} {year}"
    if type_code == "thong-bao":
        return f"Thông báo kết luận của lãnh đạo tại cuộc họp về {topic}"
    if type_code == "to-trinh":
        return f"Về việc đề nghị {rng.choice(DECISION_ACTIONS)} {topic}"
    if type_code == "giay-moi":
        return f"Mời dự hội nghị {rng.choice(['sơ kết', 'tổng kết', 'triển khai', 'tập huấn'])} {topic}"
    if type_code == "chi-thi":
        return f"Về việc {rng.choice(ACTIONS)} {topic} {rng.choice(PLACES)}"
    if type_code == "huong-dan":
        return f"Hướng dẫn {topic} năm {year}"
    return f"V/v {rng.choice(ACTIONS)} {topic} {rng.choice(PLACES)}"


def instruction(rng: random.Random, unit_name: str, due: str) -> str:
    return rng.choice(INSTRUCTIONS).format(unit=unit_name, due=due)
