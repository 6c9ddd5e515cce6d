"""Shared test personas: one small world that every test can ask for.

- citizen: no account; acts with the private link's secret
- officer_a, head_a: UBND Phường Hoàn Kiếm (office A)
- officer_b: UBND Phường Ba Đình (office B)
- leader: reads everything in Hà Nội (membership "leader" of the city committee)
- admin: superuser
- outsider: an active account with no role
"""

from __future__ import annotations

import os
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model

PASSWORD = "correct horse battery staple"


# --- the suite's clock -------------------------------------------------------------
# FEEDBACK_TEST_CLOCK="2026-12-31T23:30+07:00" runs the whole suite as if it
# were then (time-machine, ticking on): CI runs the non-browser suite a second
# time on a Sunday, on New Year's Eve or on the eve of Tết (`make test-clock`),
# so a test that passes only on a working day fails there, not on the day
# it happens to be. The processes the tests start travel with it
# (tests/clock/sitecustomize.py); Chromium does not, so browser tests run on
# the machine's clock. A test whose dates matter fixes its own clock too.
_traveller = None


def pytest_configure(config):
    from tests.clock.sitecustomize import CLOCK, travel_from_env

    global _traveller
    if os.environ.get(CLOCK):
        here = os.path.join(os.path.dirname(__file__), "clock")
        os.environ["PYTHONPATH"] = os.pathsep.join(
            p for p in (here, os.environ.get("PYTHONPATH", "")) if p
        )
        try:
            _traveller = travel_from_env()
        except ValueError as exc:
            raise pytest.UsageError(str(exc)) from None


def pytest_unconfigure(config):
    if _traveller is not None:
        _traveller.stop()


def pytest_report_header(config):
    from tests.clock.sitecustomize import CLOCK

    if os.environ.get(CLOCK):
        return f"clock: {os.environ[CLOCK]} ({CLOCK}), ticking on from there"
    return "clock: the machine's"


@pytest.fixture(autouse=True)
def _inline_tasks(settings):
    """Unit tests run tasks in-process; the integration suite overrides this
    and talks to a real broker and worker."""
    settings.TASKS_INLINE = True
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    # Rate-limit counters and sessions must not leak between tests or runs
    # through a shared Redis cache.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"}
    }
    from django.core.cache import cache

    from feedback.selectors_public import forget_choices

    cache.clear()
    # Each test's rows are rolled back without signals: forget the webhook
    # subscriptions a process remembers (api.webhooks.active_hooks).
    from api.webhooks import forget_active_hooks

    forget_active_hooks()
    # The form's lists are remembered per process; each test has its own rows.
    forget_choices()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _user(username: str, **extra):
    return get_user_model().objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.com", **extra
    )


@pytest.fixture
def world(db):
    from feedback import deadlines
    from feedback.models import AdministrativeUnit as U
    from feedback.models import Category, Membership, Office, RoutingRule
    from feedback.official_days import ensure_official_days

    policies = deadlines.ensure_presets()
    # The migration seeds the official calendar; a transactional test's
    # flush empties it, so put it back for the tests after one.
    ensure_official_days()
    vn = U.objects.create(code="VN", name="Việt Nam", kind=U.Kind.COUNTRY)
    hanoi = U.objects.create(code="01", name="Thành phố Hà Nội", kind=U.Kind.CITY, parent=vn)
    ward_a = U.objects.create(code="00070", name="Phường Hoàn Kiếm", kind=U.Kind.WARD, parent=hanoi)
    ward_b = U.objects.create(code="00004", name="Phường Ba Đình", kind=U.Kind.WARD, parent=hanoi)
    remote = U.objects.create(
        code="10105", name="Xã Ba Vì", kind=U.Kind.COMMUNE, parent=hanoi, is_remote=True
    )

    city = Office.objects.create(
        code="ubnd-hanoi",
        name="UBND Thành phố Hà Nội",
        kind=Office.Kind.COMMITTEE,
        peer_group=Office.PeerGroup.CITY,
        unit=hanoi,
    )
    dispatch = Office.objects.create(
        code="dispatch",
        name="Bộ phận điều phối",
        kind=Office.Kind.DISPATCH,
        peer_group=Office.PeerGroup.CITY,
        unit=hanoi,
        parent=city,
    )
    office_a = Office.objects.create(
        code="ubnd-hoan-kiem",
        name="UBND Phường Hoàn Kiếm",
        kind=Office.Kind.COMMITTEE,
        peer_group=Office.PeerGroup.WARDS,
        unit=ward_a,
        parent=city,
    )
    office_b = Office.objects.create(
        code="ubnd-ba-dinh",
        name="UBND Phường Ba Đình",
        kind=Office.Kind.COMMITTEE,
        peer_group=Office.PeerGroup.WARDS,
        unit=ward_b,
        parent=city,
    )
    water = Office.objects.create(
        code="nuoc-sach",
        name="Công ty Nước sạch Hà Nội",
        kind=Office.Kind.AGENCY,
        peer_group=Office.PeerGroup.AGENCIES,
        unit=hanoi,
        parent=city,
    )

    environment = Category.objects.create(code="moi-truong", name="Môi trường")
    waste = Category.objects.create(code="rac-thai", name="Rác thải", parent=environment)
    water_cat = Category.objects.create(code="cap-nuoc", name="Cấp nước", location_required=True)
    complaints = Category.objects.create(
        code="khieu-nai", name="Khiếu nại", default_kind=Category.Kind.COMPLAINT
    )
    denunciations = Category.objects.create(
        code="to-cao", name="Tố cáo", default_kind=Category.Kind.DENUNCIATION
    )
    RoutingRule.objects.create(category=water_cat, office=water)

    officer_a, head_a, officer_b = _user("officer_a"), _user("head_a"), _user("officer_b")
    leader, outsider = _user("leader"), _user("outsider")
    dispatcher = _user("dispatcher")
    admin = _user("admin", is_superuser=True, is_staff=True)
    Membership.objects.create(user=officer_a, office=office_a, role=Membership.Role.OFFICER)
    Membership.objects.create(user=head_a, office=office_a, role=Membership.Role.HEAD)
    Membership.objects.create(user=officer_b, office=office_b, role=Membership.Role.OFFICER)
    Membership.objects.create(user=leader, office=city, role=Membership.Role.LEADER)
    Membership.objects.create(user=dispatcher, office=dispatch, role=Membership.Role.OFFICER)

    return SimpleNamespace(
        policies=policies,
        vn=vn,
        hanoi=hanoi,
        ward_a=ward_a,
        ward_b=ward_b,
        remote=remote,
        city=city,
        dispatch=dispatch,
        office_a=office_a,
        office_b=office_b,
        water=water,
        environment=environment,
        waste=waste,
        water_cat=water_cat,
        complaints=complaints,
        denunciations=denunciations,
        officer_a=officer_a,
        head_a=head_a,
        officer_b=officer_b,
        leader=leader,
        outsider=outsider,
        dispatcher=dispatcher,
        admin=admin,
    )


@pytest.fixture
def submit(world):
    """File a plain web report in ward A; returns (ticket, secret)."""
    from feedback import workflow

    def _submit(**overrides):
        args = dict(
            kind="feedback",
            category=world.waste,
            unit=world.ward_a,
            title="Rác thải tồn đọng",
            description="Rác thải tồn đọng nhiều ngày ở ngõ 12 Hàng Bài.",
            channel="web",
            contact_name="Nguyễn Văn An",
            contact_email="an@example.com",
            contact_phone="0912345678",
            consent=True,
        )
        args.update(overrides)
        filed = workflow.ticket_submit(**args)
        return filed.ticket, filed.secret

    return _submit


@pytest.fixture
def routed(world, submit):
    """File a report and route it (to office A unless told otherwise); returns the ticket."""
    from feedback import workflow

    def _routed(**overrides):
        ticket, _secret = submit(**overrides)
        return workflow.ticket_route(ticket)

    return _routed


@pytest.fixture
def client_as(client):
    """A test client signed in as the given persona (None: signed out)."""

    def _as(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return _as


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI a browser or integration test that skips (a service or the
    browser missing) is a failure: the run must not pass without them."""
    outcome = yield
    report = outcome.get_result()
    required = item.get_closest_marker("e2e") or item.get_closest_marker("integration")
    if report.skipped and required and os.environ.get("CI"):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, which must run it: {report.longrepr}"


# --- uploads, caches and forms of the public pages ------------------------------


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files go to a fresh temporary directory per test."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def media_files(_media_root):
    """The files currently stored under MEDIA_ROOT."""

    def _files():
        return sorted(p for p in _media_root.rglob("*") if p.is_file())

    return _files


@pytest.fixture
def captcha_test_mode(settings, monkeypatch):
    """django-simple-captcha accepts the answer "PASSED". It copies its
    settings at import, so its module is patched as well."""
    from captcha.conf import settings as captcha_settings

    settings.CAPTCHA_TEST_MODE = True
    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)


@pytest.fixture
def report_form(world, captcha_test_mode):
    """POST data for the public submit form (captcha in test mode)."""

    def _data(**overrides):
        data = {
            "kind": "feedback",
            "category": str(world.waste.pk),
            "unit": str(world.ward_a.pk),
            "address": "Ngõ 12 Hàng Bài",
            "latitude": "",
            "longitude": "",
            "title": "",
            "description": "Rác thải tồn đọng nhiều ngày ở ngõ 12 Hàng Bài.",
            "contact_name": "Nguyễn Văn An",
            "contact_phone": "0912345678",
            "contact_email": "an@example.com",
            "consent": "on",
            "make_public": "on",
            "idempotency_key": "form-token-0123456789abcdef",
            "captcha_0": "anything",
            "captcha_1": "PASSED",
        }
        data.update(overrides)
        return {k: v for k, v in data.items() if v is not None}

    return _data
