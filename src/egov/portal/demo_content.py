"""Texts of the demo portal (``portal/demo.py``). Figures are rounded reference values; names of leaders and
officials are fictional ("dữ liệu mẫu")."""

from datetime import date


def _a(slug, title, day, summary, *body):
    return {"slug": slug, "title": title, "date": day, "summary": summary, "body": list(body) or [summary]}


INTRODUCTION = [
    _a("tong-quan-tinh-ca-mau", "Tổng quan tỉnh Cà Mau sau hợp nhất", date(2025, 7, 1),
       "Tỉnh Cà Mau mới được thành lập trên cơ sở hợp nhất tỉnh Cà Mau và tỉnh Bạc Liêu từ ngày 01/07/2025.",
       "Theo Nghị quyết của Quốc hội về sắp xếp đơn vị hành chính cấp tỉnh năm 2025, tỉnh Cà Mau mới có diện tích "
       "tự nhiên khoảng 7.942 km², dân số hơn 2,6 triệu người; trung tâm hành chính – chính trị đặt tại phường An "
       "Xuyên (số liệu tham khảo).",
       "Tỉnh có 64 đơn vị hành chính cấp xã gồm 55 xã và 9 phường, thực hiện mô hình chính quyền địa phương hai cấp."),
    _a("bo-may-hanh-chinh", "Bộ máy hành chính tỉnh", date(2025, 7, 2),
       "Cơ cấu tổ chức của Ủy ban nhân dân tỉnh, các sở, ban, ngành và chính quyền cấp xã.",
       "Ủy ban nhân dân tỉnh gồm Chủ tịch, các Phó Chủ tịch và các Ủy viên; các cơ quan chuyên môn gồm Văn phòng "
       "Ủy ban nhân dân tỉnh và các sở: Tư pháp, Tài chính, Xây dựng, Nông nghiệp và Môi trường, Công Thương, Y tế, "
       "Giáo dục và Đào tạo, Văn hóa, Thể thao và Du lịch, Khoa học và Công nghệ, Nội vụ, Dân tộc và Tôn giáo.",
       "Cấp xã có Hội đồng nhân dân, Ủy ban nhân dân xã, phường và Trung tâm Phục vụ hành chính công."),
    _a("dieu-kien-tu-nhien", "Điều kiện tự nhiên", date(2025, 7, 3),
       "Cà Mau nằm ở cực Nam Tổ quốc, ba mặt giáp biển, có hệ sinh thái rừng ngập mặn lớn nhất cả nước.",
       "Bờ biển dài khoảng 310 km, tiếp giáp Biển Đông và vịnh Thái Lan; địa hình thấp, bằng phẳng, nhiều sông "
       "rạch; khí hậu nhiệt đới gió mùa với hai mùa mưa, nắng rõ rệt.",
       "Vườn quốc gia Mũi Cà Mau và Vườn quốc gia U Minh Hạ là các khu dự trữ sinh quyển thế giới."),
    _a("lich-su-hinh-thanh", "Lịch sử hình thành và phát triển", date(2025, 7, 4),
       "Vùng đất Cà Mau – Bạc Liêu gắn với quá trình khẩn hoang phương Nam từ thế kỷ XVII.",
       "Cà Mau và Bạc Liêu từng là một tỉnh (Minh Hải, 1976–1996) trước khi tách thành hai tỉnh năm 1997.",
       "Ngày 01/07/2025, hai tỉnh hợp nhất thành tỉnh Cà Mau, mở ra không gian phát triển mới cho vùng bán đảo."),
    _a("van-hoa-du-lich", "Văn hóa, di tích và danh lam thắng cảnh", date(2025, 7, 5),
       "Đất Mũi, Hòn Đá Bạc, khu lưu niệm nghệ thuật Đờn ca tài tử Nam Bộ và nhà Công tử Bạc Liêu.",
       "Cộng đồng Kinh, Hoa, Khmer chung sống với lễ hội Nghinh Ông, Ok Om Bok, Vu Lan Thắng hội.",
       "Nghệ thuật Đờn ca tài tử Nam Bộ – di sản văn hóa phi vật thể đại diện của nhân loại – gắn với cố nhạc sĩ "
       "Cao Văn Lầu và bản Dạ cổ hoài lang."),
    _a("lanh-dao-tinh", "Lãnh đạo Ủy ban nhân dân tỉnh (dữ liệu mẫu)", date(2025, 7, 6),
       "Tóm tắt tiểu sử và lĩnh vực phụ trách của lãnh đạo Ủy ban nhân dân tỉnh — tên người là dữ liệu mẫu.",
       "Chủ tịch Ủy ban nhân dân tỉnh: ông Trần Văn Minh (dữ liệu mẫu) — lãnh đạo chung, phụ trách nội chính, "
       "tổ chức bộ máy.",
       "Phó Chủ tịch: bà Lê Thị Hồng Nhung (dữ liệu mẫu) — văn hóa, xã hội; ông Nguyễn Quốc Thái (dữ liệu mẫu) — "
       "kinh tế, đầu tư, chuyển đổi số."),
]

SCHEDULE = _a("lich-cong-tac-lanh-dao-tinh", "Lịch công tác của lãnh đạo Ủy ban nhân dân tỉnh", date(2026, 11, 23),
              "Lịch công tác tuần của Chủ tịch và các Phó Chủ tịch Ủy ban nhân dân tỉnh (dữ liệu mẫu).",
              "Thứ Hai: 7 giờ 30, Chủ tịch chủ trì họp giao ban lãnh đạo Ủy ban nhân dân tỉnh.",
              "Thứ Ba: Phó Chủ tịch Nguyễn Quốc Thái làm việc với Sở Tài chính về giải ngân vốn đầu tư công.",
              "Thứ Tư: Phó Chủ tịch Lê Thị Hồng Nhung dự khai mạc Tuần lễ Văn hóa – Du lịch Bạc Liêu.",
              "Thứ Năm – Thứ Sáu: Chủ tịch tiếp công dân định kỳ tại Trụ sở Tiếp công dân tỉnh.")

NEWS = [
    _a("khanh-thanh-cau-nam-can", "Khánh thành cầu Năm Căn mới nối đôi bờ sông Cửa Lớn", date(2026, 11, 20),
       "Cây cầu dài hơn 900 m rút ngắn thời gian đi lại từ trung tâm tỉnh đến Đất Mũi.",
       "Công trình do Sở Xây dựng làm chủ đầu tư, hoàn thành sớm hơn kế hoạch hai tháng."),
    _a("hoi-cho-nong-san", "Hội chợ nông sản, đặc sản Cà Mau – Bạc Liêu năm 2026", date(2026, 11, 15),
       "Hơn 250 gian hàng giới thiệu tôm, cua, lúa gạo, muối và sản phẩm OCOP của tỉnh.",
       "Hội chợ diễn ra trong 5 ngày tại phường Bạc Liêu, thu hút hàng chục nghìn lượt khách."),
    _a("giai-ngan-dau-tu-cong", "Tỉnh đẩy nhanh giải ngân vốn đầu tư công những tháng cuối năm", date(2026, 11, 10),
       "Ủy ban nhân dân tỉnh yêu cầu các chủ đầu tư giải ngân trên 95% kế hoạch vốn năm 2026.",
       "Các dự án chậm giải ngân sẽ được điều chuyển vốn sang dự án có khối lượng hoàn thành."),
    _a("mua-tom-lua", "Vụ tôm – lúa thắng lợi ở vùng ngọt hóa", date(2026, 11, 3),
       "Năng suất lúa trên đất nuôi tôm đạt bình quân 4,5 tấn/ha, giá bán ổn định.",
       "Mô hình tôm – lúa hữu cơ được nhân rộng tại nhiều xã phía Bắc tỉnh."),
    _a("chuyen-doi-so-cap-xa", "Chuyển đổi số cấp xã: 64 xã, phường dùng chung hệ thống quản lý văn bản",
       date(2026, 10, 28),
       "Toàn bộ văn bản đi, đến của cấp xã được xử lý trên môi trường mạng, ký số và liên thông.",
       "Tỷ lệ hồ sơ thủ tục hành chính nộp trực tuyến toàn trình đạt 62%."),
    _a("dien-gio-bac-lieu", "Thêm 3 dự án điện gió ngoài khơi được khảo sát", date(2026, 10, 21),
       "Tổng công suất dự kiến 1.200 MW, góp phần đưa tỉnh thành trung tâm năng lượng tái tạo.",
       "Các nhà đầu tư cam kết thực hiện đúng quy định về bảo vệ môi trường biển."),
    _a("phong-chong-sat-lo", "Triển khai kè chống sạt lở bờ biển Tây", date(2026, 10, 14),
       "Dự án kè dài 12 km bảo vệ rừng phòng hộ và khu dân cư ven biển.",
       "Nguồn vốn từ ngân sách trung ương và vốn vay ưu đãi."),
    _a("le-hoi-nghinh-ong", "Lễ hội Nghinh Ông Sông Đốc thu hút hàng vạn du khách", date(2026, 4, 9),
       "Lễ hội văn hóa – du lịch truyền thống của ngư dân được tổ chức trang trọng.",
       "Nhiều hoạt động thể thao, văn nghệ dân gian diễn ra trong ba ngày lễ hội."),
    _a("ky-thi-tot-nghiep", "Kỳ thi tốt nghiệp trung học phổ thông diễn ra an toàn", date(2026, 6, 28),
       "Hơn 24.000 thí sinh dự thi tại 60 điểm thi trên địa bàn tỉnh.",
       "Không có thí sinh vi phạm quy chế bị đình chỉ thi."),
    _a("tiep-cong-dan", "Chủ tịch Ủy ban nhân dân tỉnh tiếp công dân định kỳ", date(2026, 9, 15),
       "Tiếp nhận 12 lượt công dân với các nội dung về đất đai, chính sách.",
       "Các kiến nghị được giao cơ quan chuyên môn giải quyết trong thời hạn luật định."),
    _a("hoi-nghi-xuc-tien-dau-tu", "Hội nghị xúc tiến đầu tư tỉnh Cà Mau năm 2026", date(2026, 8, 20),
       "Trao quyết định chủ trương đầu tư cho 15 dự án với tổng vốn hơn 40.000 tỷ đồng.",
       "Tỉnh cam kết đồng hành, tháo gỡ khó khăn cho nhà đầu tư."),
    _a("mot-nam-hop-nhat", "Một năm thực hiện hợp nhất tỉnh: bộ máy vận hành thông suốt", date(2026, 7, 1),
       "Sau một năm, bộ máy hành chính hai cấp vận hành ổn định, phục vụ người dân tốt hơn.",
       "Tăng trưởng kinh tế (GRDP) 6 tháng đầu năm ước đạt 7,2% (số liệu mẫu)."),
]

DIRECTIVE_ITEMS = [
    {"slug": "chi-thi-phong-chong-han-man", "title": "Chỉ thị về phòng, chống hạn hán, xâm nhập mặn mùa khô "
     "2026 – 2027", "number": "12/CT-UBND", "type": "Chỉ thị", "date": date(2026, 11, 18),
     "signer": "Trần Văn Minh (dữ liệu mẫu)",
     "summary": "Yêu cầu các sở, ngành, địa phương chủ động các phương án trữ nước ngọt, bảo vệ sản xuất.",
     "body": ["Các xã, phường rà soát, nạo vét kênh mương, vận hành cống theo lịch; không để thiếu nước sinh hoạt."]},
    {"slug": "quyet-dinh-ke-hoach-chuyen-doi-so-2027", "title": "Quyết định ban hành Kế hoạch chuyển đổi số tỉnh "
     "Cà Mau năm 2027", "number": "2150/QĐ-UBND", "type": "Quyết định", "date": date(2026, 11, 12),
     "signer": "Nguyễn Quốc Thái (dữ liệu mẫu)",
     "summary": "Mục tiêu 100% văn bản được ký số, 80% hồ sơ thủ tục hành chính xử lý trực tuyến toàn trình.",
     "body": ["Giao Sở Khoa học và Công nghệ chủ trì, theo dõi, đôn đốc thực hiện kế hoạch."]},
    {"slug": "thong-bao-ket-luan-giao-ban-thang-10", "title": "Thông báo kết luận của Chủ tịch Ủy ban nhân dân "
     "tỉnh tại cuộc họp giao ban tháng 10/2026", "number": "415/TB-VP", "type": "Thông báo",
     "date": date(2026, 11, 4), "signer": "Phạm Văn Hùng (dữ liệu mẫu)",
     "summary": "Kết luận về giải ngân vốn đầu tư công, cải cách thủ tục hành chính và công tác tiếp công dân.",
     "body": ["Các sở, ngành khẩn trương hoàn thành nhiệm vụ được giao, báo cáo trước ngày 25/11/2026."]},
]

LEGAL_DISSEMINATION = [
    _a("luat-dat-dai-2024-nhung-diem-moi", "Những điểm mới của Luật Đất đai năm 2024 người dân cần biết",
       date(2026, 10, 5), "Quyền của người sử dụng đất, bảng giá đất, cấp giấy chứng nhận lần đầu.",
       "Luật Đất đai năm 2024 mở rộng quyền của người sử dụng đất, bảng giá đất được ban hành hằng năm."),
    _a("huong-dan-dang-ky-khai-sinh-truc-tuyen", "Hướng dẫn đăng ký khai sinh trực tuyến liên thông",
       date(2026, 9, 12), "Các bước đăng ký khai sinh, thường trú, cấp thẻ bảo hiểm y tế cho trẻ dưới 6 tuổi.",
       "Người dân đăng nhập Cổng dịch vụ công bằng tài khoản định danh điện tử mức 2 để nộp hồ sơ."),
    _a("phong-chong-lua-dao-truc-tuyen", "Cảnh giác với các hình thức lừa đảo qua mạng", date(2026, 8, 30),
       "Không cung cấp mã OTP, không chuyển tiền theo yêu cầu của người lạ tự xưng cơ quan nhà nước.",
       "Cơ quan nhà nước không yêu cầu người dân chuyển tiền qua điện thoại."),
]

STRATEGY = [
    _a("quy-hoach-tinh-2021-2030", "Quy hoạch tỉnh Cà Mau thời kỳ 2021 – 2030, tầm nhìn đến năm 2050",
       date(2026, 3, 20), "Định hướng phát triển không gian, kinh tế biển, năng lượng tái tạo sau hợp nhất.",
       "Quy hoạch được điều chỉnh để tích hợp không gian phát triển của hai tỉnh Cà Mau và Bạc Liêu."),
    _a("ke-hoach-phat-trien-kt-xh-2027", "Kế hoạch phát triển kinh tế – xã hội năm 2027", date(2026, 11, 8),
       "Các chỉ tiêu chủ yếu: tăng trưởng GRDP 8%, thu nhập bình quân đầu người 85 triệu đồng (dự kiến).",
       "Tập trung phát triển hạ tầng giao thông, logistics và chuyển đổi số."),
    _a("danh-muc-du-an-keu-goi-dau-tu", "Danh mục dự án kêu gọi đầu tư giai đoạn 2026 – 2030", date(2026, 5, 15),
       "32 dự án thuộc các lĩnh vực năng lượng, nuôi trồng thủy sản công nghệ cao, du lịch sinh thái.",
       "Nhà đầu tư liên hệ Trung tâm Xúc tiến đầu tư tỉnh để được hỗ trợ."),
]

GAZETTE = [
    _a("cong-bao-so-45-2026", "Công báo tỉnh Cà Mau số 45 năm 2026", date(2026, 11, 14),
       "Gồm 6 văn bản quy phạm pháp luật của Hội đồng nhân dân và Ủy ban nhân dân tỉnh.",
       "Danh mục: Nghị quyết số 18/2026/NQ-HĐND; Quyết định số 41/2026/QĐ-UBND; Quyết định số 42/2026/QĐ-UBND."),
    _a("cong-bao-so-44-2026", "Công báo tỉnh Cà Mau số 44 năm 2026", date(2026, 10, 31),
       "Gồm 4 văn bản quy phạm pháp luật của Ủy ban nhân dân tỉnh.",
       "Danh mục: Quyết định số 39/2026/QĐ-UBND; Quyết định số 40/2026/QĐ-UBND."),
]

LEGAL_DOCUMENTS = [
    {"slug": "qd-41-2026-qd-ubnd", "title": "Quyết định quy định giá dịch vụ thu gom, vận chuyển rác thải sinh "
     "hoạt trên địa bàn tỉnh", "number": "41/2026/QĐ-UBND", "type": "Quyết định", "date": date(2026, 11, 5),
     "effective": date(2026, 11, 20), "issuer": "Ủy ban nhân dân tỉnh Cà Mau", "signer": "Nguyễn Quốc Thái "
     "(dữ liệu mẫu)", "field": "Tài nguyên – Môi trường",
     "summary": "Quy định mức giá tối đa dịch vụ thu gom, vận chuyển rác thải sinh hoạt sử dụng ngân sách."},
    {"slug": "nq-18-2026-nq-hdnd", "title": "Nghị quyết quy định chính sách hỗ trợ chuyển đổi số cấp xã",
     "number": "18/2026/NQ-HĐND", "type": "Nghị quyết", "date": date(2026, 10, 25), "effective": date(2026, 11, 5),
     "issuer": "Hội đồng nhân dân tỉnh Cà Mau", "signer": "Võ Minh Tâm (dữ liệu mẫu)", "field": "Khoa học – Công nghệ",
     "summary": "Hỗ trợ kinh phí trang bị thiết bị, chữ ký số và đào tạo kỹ năng số cho cán bộ cấp xã."},
]

PROJECTS = [
    {"slug": "duong-ven-bien-ca-mau-bac-lieu", "title": "Đường ven biển kết nối Cà Mau – Bạc Liêu (giai đoạn 1)",
     "summary": "Tuyến đường ven biển dài 42 km kết hợp đê chắn sóng.", "goal": "Kết nối giao thông ven biển, "
     "phòng chống thiên tai, tạo quỹ đất phát triển du lịch.", "field": "Giao thông", "type": "Dự án nhóm A",
     "duration": "2025 – 2029", "budget": "4850000000000", "funding": "Ngân sách trung ương và địa phương",
     "status": "ongoing", "approved": date(2025, 9, 10)},
    {"slug": "benh-vien-da-khoa-khu-vuc-bac-lieu", "title": "Nâng cấp Bệnh viện Đa khoa khu vực Bạc Liêu",
     "summary": "Mở rộng quy mô lên 1.000 giường bệnh.", "goal": "Nâng cao chất lượng khám, chữa bệnh cho người dân "
     "khu vực phía Bắc tỉnh.", "field": "Y tế", "type": "Dự án nhóm B", "duration": "2026 – 2028",
     "budget": "1200000000000", "funding": "Vốn ODA và ngân sách tỉnh", "donor": "Ngân hàng Phát triển châu Á (ADB)",
     "status": "preparing", "approved": date(2026, 6, 18)},
    {"slug": "goi-thau-mua-sam-may-tinh-cap-xa", "title": "Mua sắm thiết bị công nghệ thông tin cho 64 xã, phường",
     "summary": "Gói thầu mua sắm tập trung máy tính, máy quét, thiết bị ký số.", "goal": "Bảo đảm hạ tầng cho "
     "chuyển đổi số cấp xã.", "field": "Công nghệ thông tin", "type": "Mua sắm công", "duration": "Quý IV/2025",
     "budget": "18500000000", "funding": "Ngân sách tỉnh", "status": "completed", "approved": date(2025, 8, 5)},
]

ENGLISH_INTRO = {
    "title": "Introduction to Ca Mau Province", "date": date(2025, 7, 1),
    "summary": "Ca Mau, the southernmost province of Viet Nam, formed on 1 July 2025 by merging Ca Mau and Bac Lieu.",
    "body": ["The province covers about 7,942 km² with over 2.6 million inhabitants in 64 communes and wards "
             "(reference figures). It borders the East Sea and the Gulf of Thailand on three sides.",
             "Its economy rests on aquaculture (shrimp, crab), rice, salt, renewable energy and eco-tourism around "
             "the Mui Ca Mau and U Minh Ha national parks."],
}
ENGLISH_CONTACTS = {
    "summary": "How to contact the Office of the Provincial People's Committee",
    "body": ["Address: 2 Hung Vuong Street, An Xuyen Ward, Ca Mau Province (sample data). "
             "Phone: +84 290 3831 234. E-mail: congthongtin@camau.gov.vn.",
             "Office hours: 7:00–11:00 and 13:00–17:00, Monday to Friday."],
}
