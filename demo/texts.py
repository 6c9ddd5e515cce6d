"""What demo tickets say and who files them: places in the wards, people's
names, the texts of reports per category, answers, reasons and comments."""

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
