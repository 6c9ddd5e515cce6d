"""loadgen adapter for this project (bench/loadgen.py; the contract is the
peer harness's adapters/TEMPLATE.py).

Scenarios (`create` is the cross-system one, with the peer's content):

  hello        GET  /healthz: JsonResponse, no database, the whole middleware
               stack: the ceiling every other figure is divided by
  create       POST /api/v1/tickets/ JSON, anonymous (a partner or the app)
  create_form  POST /gui-phan-anh/ the citizen's public form: CSRF cookie and
               token from one GET, a fresh idempotency token and captcha per
               request (captcha rows are written beforehand, so the server
               checks and deletes a real one)
  inbox        GET  /staff/ first page of the busiest office's inbox, signed in
  track        GET  /tra-cuu/<code>/ public tracking page, over 1,000 codes
  transparency GET  /minh-bach/ with the cache emptied before each request (cold)
  dashboard    GET  /staff/dashboard/ a city leader's landing page (this month;
               dashboard_12m: the last 12 months)
  drill_*      GET  /staff/ the inbox behind a dashboard figure of the city:
               received, overdue_now, resolved_on_time (this month)

Options (--opt key=value): dsn (the bench database, for codes and
captchas), cache_redis (URL whose ":1:*" keys are the Django cache),
user/password (the inbox's officer), category, unit (codes), leader/
leader_password, leader_office (the leader's read-only inbox), city_unit.

Requests carry X-Forwarded-Proto: https as the proxy sends it, so the
production settings (secure cookies, CSRF referer checks) apply as
deployed; cookies are sent by hand because the client would not send
Secure cookies over the loopback's plain HTTP.
"""

from __future__ import annotations

import re
from http.cookies import SimpleCookie

from leader import LEADER_SCENARIOS, dashboard_paths  # noqa: E402 (bench/ is on sys.path)
from loadgen import Req  # noqa: E402  (loadgen.py puts itself on sys.path)

TITLE_PREFIX = "[load]"
STREETS = ["Hàng Bài", "Tràng Tiền", "Lý Thường Kiệt", "Bà Triệu", "Hai Bà Trưng"]
PROBLEMS = ["Ổ gà trên phố", "Đèn đường hỏng ở phố", "Rác chưa thu gom ở phố"]
BODY = (
    "Tình trạng này đã kéo dài hơn một tuần, rất nguy hiểm cho người đi xe đạp "
    "và người đi bộ, nhất là khi trời tối. Nhiều hàng xóm cũng đã thấy. "
    "Đề nghị cơ quan chức năng cử người kiểm tra sớm. Xin cảm ơn."
)
PROTO = {"X-Forwarded-Proto": "https"}
_CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def ticket_fields(i: int) -> dict:
    """The peer's logical ticket: a title, the same length of text, an email."""
    return {
        "title": f"{TITLE_PREFIX} {PROBLEMS[i % len(PROBLEMS)]} {STREETS[i % len(STREETS)]} #{i}",
        "description": BODY,
        "address": f"12 {STREETS[i % len(STREETS)]}",
        "contact_name": "Nguyễn Văn An",
        "contact_email": f"load{i % 5000}@example.org",
        "consent": True,
    }


def _cookies(resp, jar: dict[str, str]) -> dict[str, str]:
    for header in resp.headers.getall("Set-Cookie", []):
        parsed = SimpleCookie()
        parsed.load(header)
        for name, morsel in parsed.items():
            jar[name] = morsel.value
    return jar


def _cookie_header(jar: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in jar.items())


async def _form_page(http, path: str) -> tuple[str, dict[str, str]]:
    """A page with a form: its CSRF token and the cookies it set."""
    r = await http.get(path, headers=PROTO)
    token = _CSRF_RE.search(r.text)
    jar = _cookies(r, {})
    if r.status != 200 or not token or "csrftoken" not in jar:
        raise RuntimeError(f"GET {path} -> {r.status}, CSRF token and cookie: {bool(token)}")
    return token.group(1), jar


def _db(opts):
    import psycopg

    return psycopg.connect(opts["dsn"], autocommit=True)


class Hello:
    description = "GET /healthz (trivial JSON view, no database)"

    def __init__(self, opts):
        self.opts = opts

    async def setup(self, http):
        return None

    def build(self, i, st):
        return Req("GET", "/healthz", headers=PROTO)


class CreateApi:
    description = "POST /api/v1/tickets/ (JSON, anonymous) -> 201"

    def __init__(self, opts):
        self.opts = opts

    async def setup(self, http):
        return {"category": self.opts["category"], "unit": self.opts["unit"]}

    def build(self, i, st):
        body = {**ticket_fields(i), "category": st["category"], "unit": st["unit"]}
        return Req("POST", "/api/v1/tickets/", json=body, headers=PROTO, expect=(201,))


class CreateForm:
    description = "POST /gui-phan-anh/ (public form, CSRF, captcha) -> 302"

    def __init__(self, opts):
        self.opts = opts
        self.run = opts.get("run", "0")

    async def setup(self, http):
        token, jar = await _form_page(http, "/gui-phan-anh/")
        with _db(self.opts) as conn:
            ids = conn.execute(
                "SELECT c.id, u.id FROM feedback_category c, feedback_administrativeunit u"
                " WHERE c.code = %s AND u.code = %s",
                [self.opts["category"], self.opts["unit"]],
            ).fetchone()
            # One captcha per request, as many browsers would have fetched.
            n = int(self.opts.get("captchas", "10000"))
            conn.execute("DELETE FROM captcha_captchastore WHERE hashkey LIKE 'bench-%%'")
            with conn.cursor().copy(
                "COPY captcha_captchastore (challenge, response, hashkey, expiration) FROM STDIN"
            ) as copy:
                for i in range(n):
                    copy.write_row(
                        ("ABCDE", "abcde", f"bench-{self.run}-{i}", "2100-01-01T00:00:00Z")
                    )
        return {
            "csrf": token,
            "cookie": _cookie_header(jar),
            "category": ids[0],
            "unit": ids[1],
            "referer": "https://" + http.base_url.split("://", 1)[1] + "/gui-phan-anh/",
        }

    def build(self, i, st):
        f = ticket_fields(i)
        data = {
            "csrfmiddlewaretoken": st["csrf"],
            "idempotency_key": f"bench-{self.run}-{i:012d}",
            "kind": "feedback",
            "category": st["category"],
            "unit": st["unit"],
            "address": f["address"],
            "title": f["title"],
            "description": f["description"],
            "contact_name": f["contact_name"],
            "contact_email": f["contact_email"],
            "consent": "on",
            "make_public": "on",
            "captcha_0": f"bench-{self.run}-{i}",
            "captcha_1": "abcde",
        }
        headers = {**PROTO, "Cookie": st["cookie"], "Referer": st["referer"]}
        return Req("POST", "/gui-phan-anh/", data=data, headers=headers, expect=(302,))


async def _sign_in(http, username: str, password: str) -> dict[str, str]:
    token, jar = await _form_page(http, "/staff/login/")
    referer = "https://" + http.base_url.split("://", 1)[1] + "/staff/login/"
    r = await http.post(
        "/staff/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        headers={**PROTO, "Cookie": _cookie_header(jar), "Referer": referer},
    )
    _cookies(r, jar)
    if r.status != 302 or "sessionid" not in jar:
        raise RuntimeError(f"login failed: POST /staff/login/ -> {r.status}")
    return {"cookie": _cookie_header(jar)}


class Inbox:
    description = "GET /staff/ first inbox page of the busiest office (signed in)"

    def __init__(self, opts):
        self.opts = opts

    async def setup(self, http):
        return await _sign_in(http, self.opts["user"], self.opts["password"])

    def build(self, i, st):
        return Req("GET", "/staff/", headers={**PROTO, "Cookie": st["cookie"]})


class Leader:
    """A city leader's page, signed in (bench/run.py makes the leader)."""

    def __init__(self, opts, scenario: str):
        self.opts = opts
        self.path = dashboard_paths(opts)[scenario]
        self.description = f"GET {self.path} (a city leader)"

    async def setup(self, http):
        return await _sign_in(http, self.opts["leader"], self.opts["leader_password"])

    def build(self, i, st):
        return Req("GET", self.path, headers={**PROTO, "Cookie": st["cookie"]})


class Track:
    description = "GET /tra-cuu/<code>/ public tracking page (1,000 public tickets in turn)"

    def __init__(self, opts):
        self.opts = opts

    async def setup(self, http):
        with _db(self.opts) as conn:
            codes = [
                c
                for (c,) in conn.execute(
                    "SELECT code FROM feedback_ticket WHERE is_public ORDER BY id DESC LIMIT 1000"
                )
            ]
        if not codes:
            raise RuntimeError("no public tickets to track")
        return {"codes": codes}

    def build(self, i, st):
        code = st["codes"][i % len(st["codes"])]
        return Req("GET", f"/tra-cuu/{code}/", headers=PROTO)


class TransparencyCold:
    description = "GET /minh-bach/ with the cache emptied before each request"

    def __init__(self, opts):
        self.opts = opts

    async def setup(self, http):
        import redis

        self.redis = redis.Redis.from_url(self.opts["cache_redis"])
        return None

    def build(self, i, st):
        # Before the clock starts: the Django cache's keys only (the broker's
        # queues share this Redis database).
        keys = list(self.redis.scan_iter(match=":1:*", count=1000))
        if keys:
            self.redis.delete(*keys)
        return Req("GET", "/minh-bach/", headers=PROTO)


def get_scenarios(opts):
    return {
        "hello": Hello(opts),
        "create": CreateApi(opts),
        "create_form": CreateForm(opts),
        "inbox": Inbox(opts),
        "track": Track(opts),
        "transparency_cold": TransparencyCold(opts),
        **{name: Leader(opts, name) for name in LEADER_SCENARIOS if "leader" in opts},
    }
