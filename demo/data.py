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
