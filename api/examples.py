"""Examples shown in the OpenAPI schema and the docs UI, one or more per endpoint."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample

CODE = "K7QM-4TXA"
_TICKET = {
    "code": CODE,
    "kind": "feedback",
    "status": "in_progress",
    "status_label": "Đang xử lý",
    "title": "Rác thải tồn đọng",
    "description": "Rác thải tồn đọng nhiều ngày ở ngõ 12 Hàng Bài.",
    "category": {"code": "rac-thai", "name": "Rác thải"},
    "unit": {"code": "00070", "name": "Phường Hoàn Kiếm"},
    "office": {"code": "ubnd-hoan-kiem", "name": "UBND Phường Hoàn Kiếm"},
    "latitude": "21.028500",
    "longitude": "105.854200",
    "address": "Ngõ 12 Hàng Bài",
    "received_at": "2026-03-02T09:15:00+07:00",
    "due_at": "2026-03-16T17:00:00+07:00",
    "is_overdue": False,
    "supporter_count": 3,
    "url": f"https://phananh.example.vn/tra-cuu/{CODE.replace('-', '')}/",
}
_EVENT = {
    "id": 1842,
    "kind": "acknowledged",
    "at": "2026-03-02T10:02:00+07:00",
    "from_status": "routed",
    "to_status": "in_progress",
    "message": "",
    "office": "ubnd-hoan-kiem",
    "via": None,
}

PUBLIC_LIST = OpenApiExample(
    "Public reports",
    value={
        "next": "https://phananh.example.vn/api/v1/tickets/?cursor=cD0y",
        "previous": None,
        "results": [_TICKET],
    },
    response_only=True,
)
SUBMIT_REQUEST = OpenApiExample(
    "A report with a photo to fetch",
    value={
        "category": "rac-thai",
        "unit": "00070",
        "description": "Rác thải tồn đọng nhiều ngày ở ngõ 12 Hàng Bài.",
        "latitude": "21.028500",
        "longitude": "105.854200",
        "contact_name": "Nguyễn Văn An",
        "contact_email": "an@example.com",
        "consent": True,
        "source_ref": "CRM-2026-000123",
        "media_url": ["https://cdn.partner.example/photos/123.jpg"],
    },
    request_only=True,
)
SUBMIT_RESPONSE = OpenApiExample(
    "Filed",
    value={
        "code": CODE,
        "status": "received",
        "url": f"https://phananh.example.vn/api/v1/tickets/{CODE}/",
        "secret": "3f9c0a6d1e2b4c5d8a7f6e5d4c3b2a19",
        "private_url": "https://phananh.example.vn/tra-cuu/K7QM4TXA/3f9c0a6d1e2b4c5d8a7f6e5d4c3b2a19/",
    },
    response_only=True,
    status_codes=["201", "200"],
)
TICKET_PUBLIC = OpenApiExample("A public report", value=_TICKET, response_only=True)
TICKET_DETAIL = OpenApiExample(
    "A public report and its timeline",
    value={**_TICKET, "source_ref": "", "timeline": [_EVENT]},
    response_only=True,
)
REPORTER_VIEW = OpenApiExample(
    "The reporter's view",
    value={**_TICKET, "source_ref": "", "timeline": [_EVENT], "actions": ["reply"]},
    response_only=True,
)
REPLY_REQUEST = OpenApiExample(
    "Reply", value={"message": "Điểm rác ở đầu ngõ, cạnh cột điện số 5."}, request_only=True
)
RATE_REQUEST = OpenApiExample(
    "Rate",
    value={"overall": 5, "timeliness": 4, "attitude": 5, "quality": 5, "comment": "Cảm ơn."},
    request_only=True,
)
REOPEN_REQUEST = OpenApiExample(
    "Reopen", value={"reason": "Rác vẫn còn sau hai ngày."}, request_only=True
)
CATEGORIES = OpenApiExample(
    "Categories",
    value=[
        {
            "code": "rac-thai",
            "name": "Rác thải",
            "name_en": "Waste",
            "parent": "moi-truong",
            "default_kind": "feedback",
            "location_required": False,
            "questions": [
                {
                    "code": "volume",
                    "description": "Khối lượng ước tính",
                    "datatype": "string",
                    "required": False,
                }
            ],
        }
    ],
    response_only=True,
)
UNITS = OpenApiExample(
    "Units",
    value=[{"code": "00070", "name": "Phường Hoàn Kiếm", "kind": "ward", "parent": "01"}],
    response_only=True,
)
OFFICES = OpenApiExample(
    "Offices",
    value=[
        {
            "id": 12,
            "code": "ubnd-hoan-kiem",
            "name": "UBND Phường Hoàn Kiếm",
            "short_name": "Hoàn Kiếm",
            "kind": "committee",
            "peer_group": "wards",
            "unit": "00070",
            "email": "",
            "phone": "",
            "address": "",
        }
    ],
    response_only=True,
)
RANKINGS = OpenApiExample(
    "Rankings",
    value=[
        {
            "office": 12,
            "name": "UBND Phường Hoàn Kiếm",
            "peer_group": "wards",
            "received": 140,
            "resolved": 120,
            "resolved_on_time": 111,
            "overdue_now": 4,
            "on_time_rate": 89.5,
            "satisfaction_rate": 82.0,
            "reopen_rate": 3.3,
            "score": 86.8,
            "ranked": True,
            "rank": 7,
            "band": "middle",
        }
    ],
    response_only=True,
)
FEED = OpenApiExample(
    "Events since a cursor",
    value={"events": [{**_EVENT, "ticket": CODE}], "next": 1842},
    response_only=True,
)
INBOX = OpenApiExample(
    "An inbox page",
    value={
        "count": 1,
        "next": None,
        "previous": None,
        "results": [{**_TICKET, "channel": "web", "priority": "normal", "assignee": None}],
    },
    response_only=True,
)
_STAFF_TICKET = {
    **_TICKET,
    "source_ref": "",
    "timeline": [_EVENT],
    "channel": "web",
    "priority": "normal",
    "is_public": True,
    "is_confidential": False,
    "is_complex": False,
    "is_especially_complex": False,
    "assignee": "officer.hoankiem",
    "ack_due_at": "2026-03-02T17:00:00+07:00",
    "acknowledged_at": "2026-03-02T10:12:00+07:00",
    "accepted_at": None,
    "paused_since": None,
    "extensions": 0,
    "contact": {"name": "Nguyễn Văn An", "phone": "", "email": "an@example.com", "address": ""},
    "allowed_actions": ["answer", "note", "request_info", "resolve", "transfer"],
}
STAFF_TICKET = OpenApiExample("A ticket for its office", value=_STAFF_TICKET, response_only=True)

_ACTION_BODIES = {
    "assign": {"assignee": 42},
    "transfer": {"to_office": 7, "reason": "Thuộc thẩm quyền Công ty Nước sạch."},
    "not_ours": {"reason": "Không thuộc địa bàn phường."},
    "merge": {"into": "P3RW-8HKD"},
    "reject": {"reason": "Nội dung quảng cáo."},
    "extend": {"reason": "Cần xác minh tại nhiều nơi."},
    "acknowledge": {},
    "refuse": {"grounds": ["kn-11-6"], "reason": "Quyết định bị khiếu nại ban hành năm 2023."},
    "extend_screening": {"reason": "Cần xác minh tại hai phường."},
    "declare_complex": {"level": "complex", "reason": "Nhiều người bị tố cáo, nhiều nơi."},
    "suspend": {"ground": "34-1b", "reason": "Chờ kết quả giám định lại."},
    "resume": {"reason": "Đã có kết quả giám định."},
}


def staff_action_example(name: str) -> OpenApiExample:
    body = _ACTION_BODIES.get(name, {"message": "Phường đã cử tổ vệ sinh môi trường xử lý."})
    return OpenApiExample(f"{name}", value=body, request_only=True)
