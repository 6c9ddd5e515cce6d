"""Reference data for the demo site (manage.py load_demo): Hà Nội's offices
after the 2025 reform, a category tree, routing rules, and the words the
ticket generator builds realistic reports from. Plain data, no logic."""

from __future__ import annotations

CITY_UNIT = "01"
CITY_COMMITTEE = "ubnd-ha-noi"
DISPATCH = "dieu-phoi"

# (code, name, short name, kind, peer group). The 2025 reform merged
# departments (Giao thông vận tải into Xây dựng; Tài nguyên và Môi trường with
# Nông nghiệp; Lao động - Thương binh và Xã hội into Nội vụ; Kế hoạch và Đầu tư
# into Tài chính; Thông tin và Truyền thông into Khoa học và Công nghệ).
CITY_OFFICES = [
    ("so-xay-dung", "Sở Xây dựng", "Sở Xây dựng", "department", "departments"),
    (
        "so-nong-nghiep-moi-truong",
        "Sở Nông nghiệp và Môi trường",
        "Sở NN&MT",
        "department",
        "departments",
    ),
    ("so-noi-vu", "Sở Nội vụ", "Sở Nội vụ", "department", "departments"),
    ("so-y-te", "Sở Y tế", "Sở Y tế", "department", "departments"),
    ("so-giao-duc", "Sở Giáo dục và Đào tạo", "Sở GD&ĐT", "department", "departments"),
    ("so-van-hoa", "Sở Văn hóa và Thể thao", "Sở VH&TT", "department", "departments"),
    ("so-cong-thuong", "Sở Công Thương", "Sở Công Thương", "department", "departments"),
    ("so-tu-phap", "Sở Tư pháp", "Sở Tư pháp", "department", "departments"),
    ("so-tai-chinh", "Sở Tài chính", "Sở Tài chính", "department", "departments"),
    (
        "so-khoa-hoc-cong-nghe",
        "Sở Khoa học và Công nghệ",
        "Sở KH&CN",
        "department",
        "departments",
    ),
    ("so-quy-hoach-kien-truc", "Sở Quy hoạch - Kiến trúc", "Sở QH-KT", "department", "departments"),
    ("thanh-tra", "Thanh tra Thành phố", "Thanh tra TP", "department", "departments"),
    ("cong-an", "Công an Thành phố Hà Nội", "Công an TP", "department", "departments"),
    ("nuoc-sach", "Công ty TNHH MTV Nước sạch Hà Nội", "Nước sạch Hà Nội", "agency", "agencies"),
    ("evnhanoi", "Tổng công ty Điện lực TP Hà Nội (EVNHANOI)", "EVNHANOI", "agency", "agencies"),
    (
        "urenco",
        "Công ty TNHH MTV Môi trường Đô thị Hà Nội (URENCO)",
        "URENCO",
        "agency",
        "agencies",
    ),
    ("thoat-nuoc", "Công ty TNHH MTV Thoát nước Hà Nội", "Thoát nước Hà Nội", "agency", "agencies"),
    (
        "cong-vien-cay-xanh",
        "Công ty TNHH MTV Công viên cây xanh Hà Nội",
        "Công viên cây xanh HN",
        "agency",
        "agencies",
    ),
]

_SIZE = {
    "code": "size",
    "description": "Kích thước ổ gà, hư hỏng",
    "datatype": "singlevaluelist",
    "required": False,
    "values": [
        {"key": "small", "name": "Nhỏ (dưới 30 cm)"},
        {"key": "medium", "name": "Vừa (30 cm - 1 m)"},
        {"key": "large", "name": "Lớn (trên 1 m)"},
    ],
}
_LAMP = {
    "code": "lamp_state",
    "description": "Tình trạng đèn",
    "datatype": "singlevaluelist",
    "required": False,
    "values": [
        {"key": "off", "name": "Không sáng"},
        {"key": "flicker", "name": "Chập chờn"},
        {"key": "day", "name": "Sáng cả ban ngày"},
        {"key": "broken", "name": "Cột, chao đèn hư hỏng"},
    ],
}
_WATER = {
    "code": "water_issue",
    "description": "Vấn đề về nước",
    "datatype": "singlevaluelist",
    "required": True,
    "values": [
        {"key": "no_water", "name": "Mất nước"},
        {"key": "low_pressure", "name": "Nước yếu"},
        {"key": "dirty", "name": "Nước đục, có mùi"},
        {"key": "leak", "name": "Vỡ ống, rò rỉ"},
    ],
}
_FLOOD = {
    "code": "depth_cm",
    "description": "Độ sâu ngập ước tính (cm)",
    "datatype": "number",
    "required": False,
}
_WASTE = {
    "code": "waste_type",
    "description": "Loại rác",
    "datatype": "singlevaluelist",
    "required": False,
    "values": [
        {"key": "household", "name": "Rác sinh hoạt"},
        {"key": "construction", "name": "Phế thải xây dựng"},
        {"key": "bulky", "name": "Đồ cồng kềnh"},
    ],
}

# (code, parent code, name, English name, default kind, policy code,
#  location required, extra fields, weight of tickets)
# Weight 0 on a parent means tickets are filed under its children.
CATEGORIES = [
    ("moi-truong", None, "Môi trường", "Environment", "feedback", "feedback", False, [], 0),
    ("rac-thai", "moi-truong", "Rác thải", "Waste", "feedback", None, True, [_WASTE], 14),
    ("tieng-on", "moi-truong", "Tiếng ồn", "Noise", "feedback", None, True, [], 6),
    (
        "o-nhiem-khong-khi",
        "moi-truong",
        "Ô nhiễm không khí",
        "Air pollution",
        "feedback",
        None,
        True,
        [],
        3,
    ),
    ("nuoc-thai", "moi-truong", "Nước thải", "Wastewater", "feedback", None, True, [], 3),
    ("giao-thong", None, "Giao thông", "Traffic", "feedback", "feedback", False, [], 0),
    (
        "hu-hong-mat-duong",
        "giao-thong",
        "Hư hỏng mặt đường",
        "Road damage",
        "feedback",
        None,
        True,
        [_SIZE],
        10,
    ),
    (
        "den-tin-hieu",
        "giao-thong",
        "Đèn tín hiệu giao thông",
        "Traffic signals",
        "feedback",
        None,
        True,
        [],
        3,
    ),
    (
        "un-tac",
        "giao-thong",
        "Ùn tắc giao thông",
        "Traffic congestion",
        "feedback",
        None,
        True,
        [],
        3,
    ),
    (
        "trat-tu-do-thi",
        None,
        "Trật tự đô thị",
        "Urban order",
        "feedback",
        "feedback",
        False,
        [],
        0,
    ),
    (
        "lan-chiem-via-he",
        "trat-tu-do-thi",
        "Lấn chiếm vỉa hè, lòng đường",
        "Sidewalk encroachment",
        "feedback",
        None,
        True,
        [],
        10,
    ),
    (
        "xay-dung-trai-phep",
        "trat-tu-do-thi",
        "Xây dựng trái phép",
        "Illegal construction",
        "feedback",
        None,
        True,
        [],
        6,
    ),
    (
        "quang-cao-rao-vat",
        "trat-tu-do-thi",
        "Quảng cáo, rao vặt trái phép",
        "Illegal advertising",
        "feedback",
        None,
        True,
        [],
        3,
    ),
    (
        "ha-tang",
        None,
        "Hạ tầng đô thị",
        "Urban infrastructure",
        "feedback",
        "feedback",
        False,
        [],
        0,
    ),
    (
        "chieu-sang",
        "ha-tang",
        "Chiếu sáng công cộng",
        "Street lighting",
        "feedback",
        None,
        True,
        [_LAMP],
        5,
    ),
    ("cap-nuoc", "ha-tang", "Cấp nước", "Water supply", "feedback", None, True, [_WATER], 5),
    (
        "thoat-nuoc",
        "ha-tang",
        "Thoát nước, ngập úng",
        "Drainage and flooding",
        "feedback",
        None,
        True,
        [_FLOOD],
        4,
    ),
    ("cay-xanh", "ha-tang", "Cây xanh", "Trees", "feedback", None, True, [], 3),
    ("cap-dien", "ha-tang", "Cấp điện", "Power supply", "feedback", None, True, [], 3),
    (
        "thu-tuc-hanh-chinh",
        None,
        "Thủ tục hành chính",
        "Administrative procedures",
        "feedback",
        "feedback",
        False,
        [],
        0,
    ),
    (
        "cham-giai-quyet-ho-so",
        "thu-tuc-hanh-chinh",
        "Chậm giải quyết hồ sơ",
        "Late processing of applications",
        "feedback",
        None,
        False,
        [],
        4,
    ),
    ("dat-dai", "thu-tuc-hanh-chinh", "Đất đai", "Land", "feedback", None, False, [], 3),
    (
        "ho-tich-tu-phap",
        "thu-tuc-hanh-chinh",
        "Hộ tịch, công chứng, lý lịch tư pháp",
        "Civil status, notary, criminal records",
        "feedback",
        None,
        False,
        [],
        2,
    ),
    (
        "thai-do-can-bo",
        None,
        "Thái độ, tác phong cán bộ",
        "Staff conduct",
        "feedback",
        "feedback",
        False,
        [],
        2,
    ),
    ("y-te", None, "Y tế", "Health", "feedback", "feedback", False, [], 2),
    (
        "an-toan-thuc-pham",
        "y-te",
        "An toàn thực phẩm",
        "Food safety",
        "feedback",
        None,
        True,
        [],
        2,
    ),
    ("giao-duc", None, "Giáo dục", "Education", "feedback", "feedback", False, [], 2),
    (
        "an-ninh-trat-tu",
        None,
        "An ninh trật tự",
        "Public order and security",
        "feedback",
        "feedback",
        True,
        [],
        3,
    ),
    (
        "van-hoa-du-lich",
        None,
        "Văn hóa, lễ hội, du lịch",
        "Culture, festivals, tourism",
        "feedback",
        "feedback",
        False,
        [],
        1,
    ),
    (
        "thi-truong-gia-ca",
        None,
        "Thị trường, giá cả",
        "Markets and prices",
        "feedback",
        "feedback",
        False,
        [],
        1,
    ),
    (
        "lao-dong-chinh-sach",
        None,
        "Lao động, chính sách xã hội",
        "Labour and social policy",
        "feedback",
        "feedback",
        False,
        [],
        1,
    ),
    ("khieu-nai", None, "Khiếu nại", "Complaints", "complaint", "complaint", False, [], 3),
    ("to-cao", None, "Tố cáo", "Denunciations", "denunciation", "denunciation", False, [], 1),
]

# Categories whose tickets may be urgent (burst pipe, dead traffic light...).
URGENT_CATEGORIES = {"cap-nuoc", "thoat-nuoc", "den-tin-hieu", "an-ninh-trat-tu", "cap-dien"}

# (category code, unit code or None, office code, priority, note). Without
# a matching rule the router falls back to the unit's People's Committee.
ROUTING_RULES = [
    ("rac-thai", None, "urenco", 100, "Thu gom rác: URENCO"),
    ("o-nhiem-khong-khi", None, "so-nong-nghiep-moi-truong", 100, ""),
    ("nuoc-thai", None, "so-nong-nghiep-moi-truong", 100, ""),
    ("hu-hong-mat-duong", None, "so-xay-dung", 100, "Đường do thành phố quản lý"),
    ("den-tin-hieu", None, "so-xay-dung", 100, ""),
    ("un-tac", None, "cong-an", 100, "Cảnh sát giao thông"),
    ("chieu-sang", None, "so-xay-dung", 100, ""),
    ("cap-nuoc", None, "nuoc-sach", 100, ""),
    ("thoat-nuoc", None, "thoat-nuoc", 100, ""),
    ("cay-xanh", None, "cong-vien-cay-xanh", 100, ""),
    ("cap-dien", None, "evnhanoi", 100, ""),
    ("ho-tich-tu-phap", None, "so-tu-phap", 100, ""),
    ("y-te", None, "so-y-te", 100, ""),
    ("giao-duc", None, "so-giao-duc", 100, ""),
    ("an-ninh-trat-tu", None, "cong-an", 100, ""),
    ("van-hoa-du-lich", None, "so-van-hoa", 100, ""),
    ("thi-truong-gia-ca", None, "so-cong-thuong", 100, ""),
    ("lao-dong-chinh-sach", None, "so-noi-vu", 100, ""),
    ("to-cao", None, "thanh-tra", 100, "Tố cáo: Thanh tra Thành phố"),
    # Unit-specific rules, more specific than the ones above.
    ("cay-xanh", "00070", "ubnd-00070", 100, "Cây xanh quanh hồ Hoàn Kiếm: phường quản lý"),
    ("un-tac", "00004", "ubnd-00004", 100, "Khu vực Ba Đình: phường phối hợp điều tiết"),
    ("hu-hong-mat-duong", "00376", "ubnd-00376", 100, "Đường xã, đường thôn ở Sóc Sơn"),
    ("rac-thai", "09700", "ubnd-09700", 100, "Xã Ba Vì tự tổ chức thu gom"),
    ("an-toan-thuc-pham", None, "so-y-te", 50, ""),
]

# Where an office sends a ticket it should not have got (for transfers).
TRANSFER_TO_DEPARTMENT = {
    "moi-truong": "so-nong-nghiep-moi-truong",
    "giao-thong": "so-xay-dung",
    "trat-tu-do-thi": "so-xay-dung",
    "ha-tang": "so-xay-dung",
    "thu-tuc-hanh-chinh": "so-noi-vu",
    "thai-do-can-bo": "so-noi-vu",
}

RESPONSE_TEMPLATES = {
    "moi-truong": [
        (
            "Đã xử lý vệ sinh môi trường",
            "UBND/đơn vị đã chỉ đạo lực lượng chức năng kiểm tra, thu gom, xử lý và "
            "tăng cường tuần tra tại khu vực. Cảm ơn ông/bà đã phản ánh.",
        ),
        (
            "Chuyển đơn vị thu gom",
            "Nội dung phản ánh đã được chuyển đơn vị thu gom, vận chuyển rác thải trên "
            "địa bàn để xử lý theo lịch.",
        ),
    ],
    "giao-thong": [
        (
            "Đã sửa chữa hư hỏng",
            "Đơn vị duy tu đã kiểm tra hiện trường và hoàn thành sửa chữa, đảm bảo an toàn "
            "giao thông. Cảm ơn ông/bà đã phản ánh.",
        ),
        (
            "Đã phối hợp phân luồng",
            "Lực lượng chức năng đã bố trí phân luồng, điều tiết giao thông tại khu vực "
            "trong giờ cao điểm.",
        ),
    ],
    "trat-tu-do-thi": [
        (
            "Đã lập biên bản, xử lý vi phạm",
            "Tổ công tác đã kiểm tra, lập biên bản vi phạm hành chính và yêu cầu tháo dỡ, "
            "trả lại hiện trạng. Phường tiếp tục theo dõi.",
        ),
        (
            "Đã ra quân giải tỏa",
            "Lực lượng trật tự đô thị đã ra quân giải tỏa, nhắc nhở các hộ kinh doanh "
            "không lấn chiếm vỉa hè, lòng đường.",
        ),
    ],
    "ha-tang": [
        (
            "Đã khắc phục sự cố",
            "Đơn vị quản lý đã cử đội kỹ thuật khắc phục sự cố và khôi phục hoạt động bình thường.",
        ),
        (
            "Đưa vào kế hoạch duy tu",
            "Nội dung phản ánh đã được ghi nhận và đưa vào kế hoạch duy tu, sửa chữa của "
            "đơn vị trong quý tới.",
        ),
    ],
    "thu-tuc-hanh-chinh": [
        (
            "Đã trả kết quả hồ sơ",
            "Bộ phận một cửa đã rà soát và trả kết quả hồ sơ cho ông/bà. Đơn vị xin lỗi vì "
            "sự chậm trễ.",
        ),
        (
            "Hướng dẫn bổ sung hồ sơ",
            "Đề nghị ông/bà bổ sung giấy tờ theo hướng dẫn để hồ sơ được giải quyết đúng quy định.",
        ),
    ],
    "thai-do-can-bo": [
        (
            "Đã kiểm điểm cán bộ",
            "Đơn vị đã tổ chức kiểm điểm, nhắc nhở cán bộ liên quan và chấn chỉnh tác phong "
            "phục vụ nhân dân.",
        ),
        (
            "Tiếp thu ý kiến",
            "Đơn vị trân trọng tiếp thu ý kiến của ông/bà và sẽ tăng cường giám sát việc "
            "tiếp công dân.",
        ),
    ],
    "y-te": [
        (
            "Đã kiểm tra cơ sở",
            "Đoàn kiểm tra đã làm việc với cơ sở, xử lý vi phạm theo quy định.",
        ),
        ("Hướng dẫn người bệnh", "Sở đã chỉ đạo bệnh viện rà soát quy trình tiếp đón người bệnh."),
    ],
    "giao-duc": [
        (
            "Đã chỉ đạo nhà trường",
            "Sở đã yêu cầu nhà trường rà soát, thực hiện đúng quy định về thu chi và tuyển sinh.",
        ),
        ("Giải thích chính sách", "Nội dung phản ánh được trả lời theo quy định hiện hành."),
    ],
    "an-ninh-trat-tu": [
        ("Đã tăng cường tuần tra", "Công an đã tăng cường tuần tra, kiểm soát tại khu vực."),
        ("Đã xác minh, xử lý", "Công an đã xác minh và xử lý các đối tượng vi phạm."),
    ],
    "van-hoa-du-lich": [
        ("Đã chấn chỉnh", "Sở đã chỉ đạo chấn chỉnh hoạt động tại địa điểm được phản ánh."),
        ("Tiếp thu", "Sở tiếp thu ý kiến và sẽ xem xét trong kế hoạch tổ chức lễ hội."),
    ],
    "thi-truong-gia-ca": [
        ("Đã kiểm tra thị trường", "Lực lượng quản lý thị trường đã kiểm tra và xử lý vi phạm."),
        ("Giải thích giá", "Giá được niêm yết theo quy định; Sở tiếp tục theo dõi."),
    ],
    "lao-dong-chinh-sach": [
        ("Đã giải quyết chế độ", "Sở đã chỉ đạo giải quyết chế độ cho ông/bà theo quy định."),
        ("Hướng dẫn thủ tục", "Đề nghị ông/bà liên hệ bộ phận một cửa để được hướng dẫn."),
    ],
    "khieu-nai": [
        (
            "Thông báo thụ lý khiếu nại",
            "Căn cứ Luật Khiếu nại 2011, đơn khiếu nại của ông/bà đủ điều kiện thụ lý giải "
            "quyết lần đầu.",
        ),
        (
            "Quyết định giải quyết khiếu nại",
            "Đã ban hành quyết định giải quyết khiếu nại; nếu không đồng ý, ông/bà có quyền "
            "khiếu nại lần hai hoặc khởi kiện.",
        ),
    ],
    "to-cao": [
        (
            "Thông báo thụ lý tố cáo",
            "Căn cứ Luật Tố cáo 2018, tố cáo đủ điều kiện thụ lý; danh tính người tố cáo "
            "được giữ bí mật.",
        ),
        (
            "Kết luận nội dung tố cáo",
            "Đã ban hành kết luận nội dung tố cáo và kiến nghị xử lý theo quy định.",
        ),
    ],
}

# Approximate centres of the central wards and the streets people name.
WARD_PLACES = {
    "00070": (21.0285, 105.8522, ["Hàng Bài", "Tràng Tiền", "Hàng Bạc", "Đinh Tiên Hoàng"]),
    "00073": (21.0245, 105.8430, ["Hàng Bông", "Quán Sứ", "Trần Hưng Đạo", "Lý Thường Kiệt"]),
    "00004": (21.0368, 105.8342, ["Phan Đình Phùng", "Hoàng Diệu", "Quán Thánh"]),
    "00008": (21.0390, 105.8210, ["Hoàng Hoa Thám", "Đội Cấn", "Ngọc Hà"]),
    "00025": (21.0270, 105.8190, ["Kim Mã", "Giảng Võ", "Nguyễn Chí Thanh"]),
    "00256": (21.0120, 105.8560, ["Phố Huế", "Bà Triệu", "Lò Đúc", "Trần Khát Chân"]),
    "00283": (20.9990, 105.8730, ["Minh Khai", "Vĩnh Tuy", "Kim Ngưu"]),
    "00277": (21.0000, 105.8500, ["Giải Phóng", "Bạch Mai", "Lê Thanh Nghị"]),
    "00235": (21.0130, 105.8270, ["Tôn Đức Thắng", "Xã Đàn", "Hào Nam"]),
    "00226": (21.0070, 105.8380, ["Phạm Ngọc Thạch", "Đào Duy Anh", "Lương Định Của"]),
    "00196": (21.0270, 105.8360, ["Văn Miếu", "Quốc Tử Giám", "Nguyễn Thái Học"]),
    "00187": (21.0180, 105.8070, ["Láng", "Chùa Láng", "Nguyễn Chí Thanh"]),
    "00190": (21.0190, 105.8250, ["Hoàng Cầu", "Đê La Thành", "Xã Đàn"]),
    "00097": (21.0450, 105.8600, ["Bạch Đằng", "Chương Dương Độ", "Nguyễn Khoái"]),
    "00319": (20.9800, 105.8600, ["Tam Trinh", "Lĩnh Nam"]),
    "00313": (20.9900, 105.8480, ["Trương Định", "Tương Mai"]),
    "00316": (20.9820, 105.8300, ["Định Công", "Kim Giang"]),
    "00367": (20.9950, 105.8080, ["Nguyễn Trãi", "Khuất Duy Tiến", "Lê Văn Lương"]),
    "00364": (20.9920, 105.8170, ["Khương Đình", "Nguyễn Xiển"]),
    "00352": (20.9980, 105.8320, ["Trường Chinh", "Giải Phóng"]),
    "00167": (21.0330, 105.7950, ["Cầu Giấy", "Xuân Thủy", "Trần Thái Tông"]),
    "00160": (21.0450, 105.7980, ["Hoàng Quốc Việt", "Nguyễn Văn Huyên"]),
    "00175": (21.0220, 105.7930, ["Trung Kính", "Nguyễn Khang"]),
    "00103": (21.0700, 105.8180, ["Lạc Long Quân", "Xuân Diệu", "Âu Cơ"]),
    "00148": (21.0450, 105.8880, ["Nguyễn Văn Cừ", "Ngọc Lâm"]),
    "00130": (21.0480, 105.8750, ["Ngọc Thụy", "Bồ Đề"]),
    "09556": (20.9700, 105.7750, ["Quang Trung", "Trần Phú"]),
}
VILLAGES = ["Thôn Đoài", "Thôn Đông", "Thôn Thượng", "Thôn Hạ", "Thôn Trung", "Thôn Bắc"]

FAMILY_NAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
FAMILY_WEIGHTS = [38, 11, 9, 7, 5, 4, 3, 3, 3, 2]
MIDDLE_NAMES = ["Văn", "Thị", "Đức", "Minh", "Thu", "Hồng", "Quốc", "Thanh", "Ngọc", "Hữu"]
GIVEN_NAMES = [
    "An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Hương",
    "Khánh", "Lan", "Linh", "Long", "Mai", "Minh", "Nam", "Nga", "Phương", "Quang",
    "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Việt", "Yến",
]  # fmt: skip
ASCII_GIVEN = {
    "An": "an", "Bình": "binh", "Chi": "chi", "Dũng": "dung", "Giang": "giang", "Hà": "ha",
    "Hải": "hai", "Hạnh": "hanh", "Hùng": "hung", "Hương": "huong", "Khánh": "khanh",
    "Lan": "lan", "Linh": "linh", "Long": "long", "Mai": "mai", "Minh": "minh", "Nam": "nam",
    "Nga": "nga", "Phương": "phuong", "Quang": "quang", "Sơn": "son", "Tâm": "tam",
    "Thảo": "thao", "Trang": "trang", "Tuấn": "tuan", "Việt": "viet", "Yến": "yen",
}  # fmt: skip

# Titles and descriptions per category; {place} is a street or village.
TEXTS = {
    "rac-thai": [
        (
            "Rác thải tồn đọng nhiều ngày tại {place}",
            "Rác sinh hoạt đổ thành đống ở đầu ngõ "
            "{place} nhiều ngày chưa được thu gom, bốc mùi hôi thối, ruồi nhặng nhiều.",
        ),
        (
            "Đổ trộm phế thải xây dựng ở {place}",
            "Ban đêm có xe chở phế thải xây dựng đổ trộm "
            "ra vỉa hè {place}, gây mất mỹ quan và cản trở đi lại.",
        ),
        (
            "Điểm tập kết rác không đúng giờ tại {place}",
            "Xe gom rác tập kết ngay giữa ban ngày trên {place}, nước rỉ rác chảy ra đường.",
        ),
    ],
    "tieng-on": [
        (
            "Karaoke gây ồn sau 22 giờ ở {place}",
            "Quán karaoke trên {place} mở nhạc to đến "
            "1-2 giờ sáng, ảnh hưởng giấc ngủ của người dân xung quanh.",
        ),
        (
            "Công trình thi công ban đêm tại {place}",
            "Công trình trên {place} thi công, đổ bê tông suốt đêm gây tiếng ồn lớn.",
        ),
    ],
    "o-nhiem-khong-khi": [
        (
            "Đốt rác gây khói tại {place}",
            "Người dân đốt rác, rơm rạ gần {place} gây khói bụi mù mịt, khó thở.",
        ),
        (
            "Bụi từ xe chở vật liệu ở {place}",
            "Xe chở đất cát không phủ bạt đi qua {place} làm rơi vãi, bụi bay mù mịt.",
        ),
    ],
    "nuoc-thai": [
        (
            "Nước thải chảy tràn ra {place}",
            "Nước thải từ cơ sở kinh doanh chảy tràn ra mặt đường {place}, bốc mùi hôi.",
        ),
    ],
    "hu-hong-mat-duong": [
        (
            "Ổ gà lớn trên {place}",
            "Mặt đường {place} xuất hiện ổ gà lớn, trời mưa đọng nước, "
            "nhiều người đi xe máy bị ngã.",
        ),
        (
            "Nắp hố ga bị vỡ tại {place}",
            "Nắp hố ga trên {place} bị vỡ, rất nguy hiểm cho người đi đường, nhất là ban đêm.",
        ),
        (
            "Mặt đường lún, nứt ở {place}",
            "Đoạn đường {place} sau khi đào lên lắp cống không được hoàn trả, lún sụt, nứt vỡ.",
        ),
    ],
    "den-tin-hieu": [
        (
            "Đèn tín hiệu không hoạt động tại ngã tư {place}",
            "Đèn tín hiệu giao thông ở ngã tư {place} bị tắt từ sáng, giao thông hỗn loạn.",
        ),
        (
            "Đèn đỏ quá lâu ở nút {place}",
            "Chu kỳ đèn đỏ ở nút giao {place} quá dài, gây ùn tắc giờ cao điểm.",
        ),
    ],
    "un-tac": [
        (
            "Ùn tắc kéo dài giờ cao điểm trên {place}",
            "Giờ tan tầm chiều, đường {place} ùn "
            "tắc kéo dài hơn 1 km, đề nghị bố trí người điều tiết.",
        ),
    ],
    "lan-chiem-via-he": [
        (
            "Hàng quán lấn chiếm vỉa hè {place}",
            "Các hộ kinh doanh trên {place} bày bàn ghế "
            "kín vỉa hè, người đi bộ phải xuống lòng đường.",
        ),
        (
            "Trông giữ xe trái phép trên vỉa hè {place}",
            "Vỉa hè {place} bị chiếm dụng làm bãi trông giữ xe máy, thu tiền không có vé.",
        ),
    ],
    "xay-dung-trai-phep": [
        (
            "Xây dựng không phép tại {place}",
            "Một hộ gia đình ở {place} đang xây thêm tầng, không treo biển báo giấy phép xây dựng.",
        ),
        (
            "Cơi nới ban công lấn ra {place}",
            "Nhà số lẻ trên {place} cơi nới ban công, chuồng cọp lấn ra không gian chung.",
        ),
    ],
    "quang-cao-rao-vat": [
        (
            "Quảng cáo rao vặt dán trên cột điện {place}",
            "Quảng cáo khoan cắt bê tông, cho "
            "vay tiền dán, phun sơn chi chít trên cột điện, tường nhà ở {place}.",
        ),
    ],
    "chieu-sang": [
        (
            "Đèn đường không sáng trên {place}",
            "Cả dãy đèn chiếu sáng trên {place} không sáng nhiều đêm nay, đường tối, mất an toàn.",
        ),
        (
            "Cột đèn nghiêng có nguy cơ đổ ở {place}",
            "Cột đèn chiếu sáng trên {place} bị xe va, nghiêng hẳn, có nguy cơ đổ.",
        ),
    ],
    "cap-nuoc": [
        (
            "Mất nước nhiều ngày tại {place}",
            "Khu dân cư {place} bị mất nước sinh hoạt 3 ngày, không có thông báo trước.",
        ),
        (
            "Vỡ đường ống nước trên {place}",
            "Đường ống cấp nước trên {place} bị vỡ, nước chảy lênh láng ra đường.",
        ),
        ("Nước máy có màu đục ở {place}", "Nước máy tại {place} có màu vàng đục, có mùi lạ."),
    ],
    "thoat-nuoc": [
        (
            "Ngập úng sau mưa tại {place}",
            "Mỗi trận mưa lớn, đoạn {place} ngập sâu 30-40 cm, xe chết máy hàng loạt.",
        ),
        (
            "Cống thoát nước bị tắc ở {place}",
            "Cống thoát nước trên {place} bị tắc, nước không thoát được.",
        ),
    ],
    "cay-xanh": [
        (
            "Cây xanh có nguy cơ gãy đổ trên {place}",
            "Cây lớn trên {place} bị mục gốc, nghiêng ra đường, mùa mưa bão rất nguy hiểm.",
        ),
        (
            "Cành cây vướng dây điện tại {place}",
            "Cành cây trên {place} vươn vào đường dây điện, đề nghị cắt tỉa.",
        ),
    ],
    "cap-dien": [
        (
            "Mất điện không báo trước ở {place}",
            "Khu vực {place} mất điện từ sáng đến chiều mà không có lịch cắt điện.",
        ),
        (
            "Dây điện võng thấp tại {place}",
            "Dây điện, dây cáp viễn thông võng thấp trên {place}, xe tải đi qua dễ kéo đứt.",
        ),
    ],
    "cham-giai-quyet-ho-so": [
        (
            "Hồ sơ quá hạn chưa trả kết quả",
            "Tôi nộp hồ sơ tại bộ phận một cửa, đã quá hẹn "
            "trả kết quả hơn 2 tuần nhưng chưa được giải quyết, không được thông báo lý do.",
        ),
        (
            "Bị yêu cầu bổ sung giấy tờ nhiều lần",
            "Hồ sơ của tôi bị yêu cầu bổ sung nhiều lần, mỗi lần một loại giấy tờ khác nhau.",
        ),
    ],
    "dat-dai": [
        (
            "Chậm cấp giấy chứng nhận quyền sử dụng đất",
            "Gia đình tôi nộp hồ sơ cấp giấy "
            "chứng nhận quyền sử dụng đất đã lâu nhưng chưa được giải quyết.",
        ),
        (
            "Tranh chấp ranh giới đất với hộ liền kề",
            "Hộ liền kề xây tường lấn sang phần đất của gia đình tôi, đề nghị chính quyền xem xét.",
        ),
    ],
    "ho-tich-tu-phap": [
        (
            "Chậm cấp phiếu lý lịch tư pháp",
            "Tôi đăng ký cấp phiếu lý lịch tư pháp trực "
            "tuyến đã quá hạn mà chưa nhận được kết quả.",
        ),
    ],
    "thai-do-can-bo": [
        (
            "Cán bộ tiếp dân thiếu nhiệt tình",
            "Khi đến làm thủ tục, cán bộ tiếp nhận trả lời cộc lốc, không hướng dẫn cụ thể.",
        ),
        (
            "Cán bộ đến muộn, về sớm",
            "Bộ phận một cửa thường không có người trực đầu giờ sáng, người dân phải chờ lâu.",
        ),
    ],
    "y-te": [
        (
            "Bệnh viện để người bệnh chờ quá lâu",
            "Người bệnh phải chờ khám từ sáng đến chiều, thủ tục rườm rà.",
        ),
    ],
    "an-toan-thuc-pham": [
        (
            "Cơ sở kinh doanh thực phẩm mất vệ sinh ở {place}",
            "Cơ sở chế biến thực phẩm trên "
            "{place} mất vệ sinh, nghi sử dụng nguyên liệu không rõ nguồn gốc.",
        ),
    ],
    "giao-duc": [
        (
            "Trường thu các khoản ngoài quy định",
            "Đầu năm học, nhà trường thu nhiều khoản đóng góp ngoài quy định, phụ huynh bức xúc.",
        ),
        (
            "Dạy thêm, học thêm tràn lan",
            "Giáo viên tổ chức dạy thêm cho chính học sinh lớp mình, gây áp lực cho phụ huynh.",
        ),
    ],
    "an-ninh-trat-tu": [
        (
            "Tụ tập đua xe trái phép trên {place}",
            "Đêm khuya thanh niên tụ tập đua xe, nẹt pô trên {place}, người dân rất lo lắng.",
        ),
        (
            "Mất trộm xe máy ở {place}",
            "Khu vực {place} liên tục xảy ra mất trộm xe máy, đề nghị tăng cường tuần tra.",
        ),
    ],
    "van-hoa-du-lich": [
        (
            "Chèo kéo khách du lịch",
            "Tại khu phố cổ có tình trạng chèo kéo, bán hàng giá cao cho khách du lịch.",
        ),
    ],
    "thi-truong-gia-ca": [
        (
            "Bán hàng giả, hàng không rõ nguồn gốc",
            "Cửa hàng bán mỹ phẩm, thực phẩm chức năng không rõ nguồn gốc, không có hóa đơn.",
        ),
    ],
    "lao-dong-chinh-sach": [
        (
            "Chậm chi trả trợ cấp",
            "Gia đình tôi thuộc diện hộ nghèo nhưng đã 3 tháng chưa nhận được trợ cấp.",
        ),
    ],
    "khieu-nai": [
        (
            "Khiếu nại quyết định xử phạt vi phạm hành chính",
            "Tôi không đồng ý với quyết định "
            "xử phạt vi phạm hành chính về trật tự xây dựng, đề nghị xem xét lại.",
        ),
        (
            "Khiếu nại về phương án bồi thường giải phóng mặt bằng",
            "Phương án bồi thường, hỗ trợ khi thu hồi đất của gia đình tôi chưa đúng quy định.",
        ),
        (
            "Khiếu nại việc từ chối cấp giấy phép",
            "Hồ sơ xin cấp phép của tôi bị từ chối không nêu rõ lý do.",
        ),
    ],
    "to-cao": [
        (
            "Tố cáo cán bộ nhũng nhiễu khi giải quyết hồ sơ",
            "Cán bộ địa chính gợi ý người dân "
            "phải 'bồi dưỡng' thì hồ sơ mới được giải quyết nhanh.",
        ),
        (
            "Tố cáo sai phạm trong quản lý đất công",
            "Cán bộ thôn cho thuê đất công trái phép, thu tiền không nộp ngân sách.",
        ),
    ],
}

ANSWERS = {
    "default": [
        "Đơn vị đã tiếp nhận, kiểm tra thực tế và xử lý dứt điểm nội dung phản ánh.",
        "Đã phối hợp với các lực lượng liên quan xử lý; đơn vị tiếp tục theo dõi, kiểm tra.",
        "Qua kiểm tra, nội dung phản ánh đúng; đơn vị đã yêu cầu khắc phục và xử lý vi phạm.",
        "Đơn vị đã trả lời, hướng dẫn ông/bà theo quy định hiện hành.",
    ],
}
NOT_OURS_REASONS = [
    "Nội dung không thuộc thẩm quyền của đơn vị, đề nghị chuyển cơ quan quản lý chuyên ngành.",
    "Tuyến đường không thuộc phạm vi quản lý của đơn vị.",
]
TRANSFER_REASONS = [
    "Chuyển cơ quan có thẩm quyền giải quyết theo phân cấp quản lý.",
    "Vụ việc cần cơ quan chuyên ngành xử lý.",
]
INFO_REQUESTS = [
    "Đề nghị ông/bà cung cấp địa chỉ cụ thể (số nhà, ngõ) và hình ảnh hiện trường.",
    "Đề nghị ông/bà bổ sung thời gian xảy ra sự việc và số điện thoại liên hệ.",
]
CITIZEN_REPLIES = [
    "Địa chỉ cụ thể là số 12, ngõ 45; tôi gửi kèm ảnh chụp hiện trường.",
    "Sự việc xảy ra khoảng 21 giờ các tối trong tuần.",
]
REOPEN_REASONS = [
    "Sự việc vẫn tái diễn sau khi đơn vị báo đã xử lý.",
    "Thực tế chưa được khắc phục như nội dung trả lời.",
]
RATING_COMMENTS = {
    5: ["Xử lý rất nhanh, cảm ơn cán bộ phường.", "Hài lòng, cán bộ nhiệt tình."],
    4: ["Đã được xử lý, tuy hơi chậm.", "Tốt."],
    3: ["Xử lý tạm thời, chưa triệt để."],
    2: ["Chậm, phải gọi điện nhiều lần."],
    1: ["Không hài lòng, trả lời chung chung.", "Báo đã xử lý nhưng thực tế không."],
}
SPAM_REASON = "Nội dung không phải phản ánh, kiến nghị (quảng cáo, trùng lặp, thử hệ thống)."
