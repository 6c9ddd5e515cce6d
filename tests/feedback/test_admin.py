import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from feedback.models import (
    AdministrativeUnit,
    Attachment,
    Category,
    DeadlinePolicy,
    Membership,
    Office,
    OfficialDay,
    Rating,
    ResponseTemplate,
    RoutingRule,
    Support,
    Ticket,
    TicketEvent,
)
from feedback.official_days import ensure_official_days

pytestmark = pytest.mark.django_db

ALL_MODELS = [
    AdministrativeUnit,
    DeadlinePolicy,
    OfficialDay,
    Category,
    Office,
    Membership,
    RoutingRule,
    Ticket,
    TicketEvent,
    Rating,
    Attachment,
    Support,
    ResponseTemplate,
]
# Records of what happened: they enter through the product (intake, the
# workflow, the citizen's rating), never through an admin form.
RECORD_MODELS = [Ticket, TicketEvent, Rating, Attachment, Support]
CONFIG_MODELS = [m for m in ALL_MODELS if m not in RECORD_MODELS]


def url(model, view: str, *args) -> str:
    return reverse(f"admin:feedback_{model._meta.model_name}_{view}", args=args)


def make_ticket(unit, category, office, n=0) -> Ticket:
    return Ticket.objects.create(
        title=f"Rác thải tồn đọng {n}",
        description="Rác không được thu gom ba ngày nay.",
        category=category,
        unit=unit,
        office=office,
        status=Ticket.Status.ROUTED,
        channel=Ticket.Channel.WEB,
        contact_phone="0912345678",
    )


@pytest.fixture
def world(django_user_model, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ensure_official_days()
    city = AdministrativeUnit.objects.create(code="01", name="Thành phố Hà Nội", kind="city")
    ward = AdministrativeUnit.objects.create(
        code="00070", name="Phường Hoàn Kiếm", kind="ward", parent=city
    )
    policy = DeadlinePolicy.objects.create(
        code="feedback",
        name="Phản ánh, kiến nghị",
        ack_amount=8,
        ack_unit="working_hours",
        resolve_amount=10,
        resolve_unit="working_days",
    )
    category = Category.objects.create(code="waste", name="Rác thải", deadline_policy=policy)
    office = Office.objects.create(
        code="ubnd-hoan-kiem",
        name="UBND phường Hoàn Kiếm",
        kind="committee",
        peer_group="wards",
        unit=ward,
    )
    officer = django_user_model.objects.create_user("officer", password="x")
    Membership.objects.create(user=officer, office=office)
    RoutingRule.objects.create(category=category, unit=ward, office=office)
    ResponseTemplate.objects.create(category=category, title="Đã thu gom", body="Đã xử lý.")
    ticket = make_ticket(ward, category, office)
    event = TicketEvent.objects.create(ticket=ticket, kind="received", actor_label="citizen")
    Rating.objects.create(ticket=ticket, office=office, overall=5)
    Support.objects.create(ticket=ticket, fingerprint="f" * 64)
    Attachment.objects.create(
        ticket=ticket,
        event=event,
        file=SimpleUploadedFile("anh.jpg", b"\xff\xd8\xff"),
        content_type="image/jpeg",
        extension=".jpg",
        size=3,
        sha256="0" * 64,
    )
    return {"ward": ward, "category": category, "office": office, "ticket": ticket}


def test_it_registers_every_model():
    assert all(admin.site.is_registered(model) for model in ALL_MODELS)


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda m: m.__name__)
def test_it_opens_the_changelist_and_change_page(admin_client, world, model):
    assert admin_client.get(url(model, "changelist")).status_code == 200
    obj = model.objects.first()
    assert admin_client.get(url(model, "change", obj.pk)).status_code == 200


@pytest.mark.parametrize("model", CONFIG_MODELS, ids=lambda m: m.__name__)
def test_it_opens_the_add_page(admin_client, world, model):
    assert admin_client.get(url(model, "add")).status_code == 200


@pytest.mark.parametrize("model", RECORD_MODELS, ids=lambda m: m.__name__)
def test_it_has_no_add_page_for_records(admin_client, world, model):
    assert admin_client.get(url(model, "add")).status_code == 403


def test_it_forbids_changing_or_deleting_an_event(admin_client, world):
    event = TicketEvent.objects.get()
    response = admin_client.post(url(TicketEvent, "change", event.pk), {"message": "rewritten"})
    assert response.status_code == 403
    assert admin_client.post(url(TicketEvent, "delete", event.pk), {"post": "yes"}).status_code == (
        403
    )
    event.refresh_from_db()
    assert event.message == ""


def test_it_keeps_workflow_fields_read_only_on_a_ticket(admin_client, world):
    ticket = world["ticket"]
    change_url = url(Ticket, "change", ticket.pk)
    page = admin_client.get(change_url)
    form = page.context["adminform"].form
    for name in ("status", "office", "assignee", "due_at", "ack_due_at", "category", "unit"):
        assert name not in form.fields
    assert "title" in form.fields
    # The timeline is shown, read-only.
    assert page.context["inline_admin_formsets"][0].has_change_permission is False

    response = admin_client.post(
        change_url,
        {
            "title": "Rác thải tồn đọng (đã sửa chính tả)",
            "description": ticket.description,
            "extra": "{}",
            "contact_phone": ticket.contact_phone,
            "is_public": "on",
            "status": "closed",
            "office": "",
            "events-TOTAL_FORMS": "1",
            "events-INITIAL_FORMS": "1",
            "events-MIN_NUM_FORMS": "0",
            "events-MAX_NUM_FORMS": "1000",
            "events-0-id": str(ticket.events.get().pk),
            "events-0-ticket": str(ticket.pk),
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    ticket.refresh_from_db()
    assert ticket.title == "Rác thải tồn đọng (đã sửa chính tả)"
    assert ticket.status == Ticket.Status.ROUTED
    assert ticket.office == world["office"]


def change_form(ticket, **overrides):
    data = {
        "title": ticket.title,
        "description": ticket.description,
        "extra": "{}",
        "address": ticket.address,
        "contact_phone": ticket.contact_phone,
        "is_public": "on",
        "events-TOTAL_FORMS": "1",
        "events-INITIAL_FORMS": "1",
        "events-MIN_NUM_FORMS": "0",
        "events-MAX_NUM_FORMS": "1000",
        "events-0-id": str(ticket.events.order_by("pk").first().pk),
        "events-0-ticket": str(ticket.pk),
    }
    data.update(overrides)
    return data


def test_an_edit_of_the_text_is_on_the_timeline_and_in_the_search(admin_client, world):
    ticket = world["ticket"]
    response = admin_client.post(
        url(Ticket, "change", ticket.pk),
        change_form(ticket, title="Rác thải ở phố Hàng Bài", description="Rác ở ngõ 12."),
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert "rac thai o pho hang bai" in ticket.search_text and "ngo 12" in ticket.search_text
    edited = ticket.events.get(kind=TicketEvent.Kind.EDITED)
    assert edited.data["fields"] == ["title", "description"]
    assert edited.data["before"] == {
        "title": "Rác thải tồn đọng 0",
        "description": "Rác không được thu gom ba ngày nay.",
    }
    assert not edited.is_public and edited.message == "Sửa hồ sơ: tiêu đề, nội dung"
    # Saving again without a change writes nothing.
    admin_client.post(url(Ticket, "change", ticket.pk), change_form(ticket))
    assert ticket.events.filter(kind=TicketEvent.Kind.EDITED).count() == 1


def test_an_edit_does_not_undo_what_the_workflow_did_meanwhile(admin_client, world):
    ticket = world["ticket"]
    stale = change_form(ticket, title="Tiêu đề mới")
    Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.Status.IN_PROGRESS)
    assert admin_client.post(url(Ticket, "change", ticket.pk), stale).status_code == 302
    ticket.refresh_from_db()
    assert (ticket.title, ticket.status) == ("Tiêu đề mới", Ticket.Status.IN_PROGRESS)


def test_bad_coordinates_are_refused_on_the_form(admin_client, world):
    ticket = world["ticket"]
    r = admin_client.post(
        url(Ticket, "change", ticket.pk),
        change_form(ticket, title="Tiêu đề mới", latitude="95", longitude="105.85"),
    )
    assert r.status_code == 200 and r.context["adminform"].form.errors
    ticket.refresh_from_db()
    assert ticket.title == "Rác thải tồn đọng 0" and ticket.latitude is None
    assert not ticket.events.filter(kind=TicketEvent.Kind.EDITED).exists()


def test_a_correction_the_workflow_refuses_says_why_and_not_success(
    admin_client, world, monkeypatch
):
    from feedback import workflow
    from feedback.errors import ValidationFailed

    def refuse(*args, **kwargs):
        raise ValidationFailed("Không sửa được.")

    monkeypatch.setattr(workflow, "ticket_correct", refuse)
    ticket = world["ticket"]
    r = admin_client.post(
        url(Ticket, "change", ticket.pk), change_form(ticket, title="Mới"), follow=True
    )
    shown = [(m.level, str(m)) for m in r.context["messages"]]
    assert shown == [(40, "Không sửa được.")]
    ticket.refresh_from_db()
    assert ticket.title == "Rác thải tồn đọng 0"


def test_it_forbids_deleting_a_ticket(admin_client, world):
    ticket = world["ticket"]
    assert admin_client.post(url(Ticket, "delete", ticket.pk), {"post": "yes"}).status_code == 403


def test_it_finds_a_ticket_by_its_spoken_code(admin_client, world):
    ticket = world["ticket"]
    response = admin_client.get(url(Ticket, "changelist"), {"q": ticket.display_code.lower()})
    assert list(response.context["cl"].result_list) == [ticket]


def test_it_finds_a_unit_without_diacritics(admin_client, world):
    response = admin_client.get(url(AdministrativeUnit, "changelist"), {"q": "hoan kiem"})
    assert list(response.context["cl"].result_list) == [world["ward"]]


@pytest.mark.parametrize("model", [Ticket, TicketEvent, Office], ids=lambda m: m.__name__)
def test_it_lists_rows_in_a_fixed_number_of_queries(admin_client, world, model):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(url(model, "changelist")).status_code == 200
        return len(queries)

    before = count()
    for n in range(1, 11):
        ticket = make_ticket(world["ward"], world["category"], world["office"], n)
        TicketEvent.objects.create(ticket=ticket, kind="received", office=world["office"])
        Office.objects.create(
            code=f"office-{n}",
            name=f"Cơ quan {n}",
            kind="agency",
            peer_group="agencies",
            unit=world["ward"],
            parent=world["office"],
        )
    assert count() == before


def test_it_hides_a_confidential_identity_from_administrators(admin_client, world):
    ticket = world["ticket"]
    Ticket.objects.filter(pk=ticket.pk).update(
        kind=Ticket.Kind.DENUNCIATION, is_confidential=True, contact_name="Lê Văn Tố"
    )
    page = admin_client.get(url(Ticket, "change", ticket.pk)).content.decode()
    assert "Lê Văn Tố" not in page and "0912345678" not in page
    # Searching the phone number must not reveal who denounced whom.
    found = admin_client.get(url(Ticket, "changelist"), {"q": "0912345678"})
    assert ticket.title not in found.content.decode()


def test_it_finds_a_callers_ordinary_tickets_by_phone(admin_client, world):
    ticket = world["ticket"]
    page = admin_client.get(url(Ticket, "change", ticket.pk)).content.decode()
    assert "0912345678" in page
    found = admin_client.get(url(Ticket, "changelist"), {"q": "0912345678"})
    assert ticket.title in found.content.decode()


IDENTITY_LOOKUPS = [
    ("contact_phone__startswith", "09", "08"),
    ("contact_phone", "0912345678", "0912345679"),
    ("contact_name__icontains", "tố", "an"),
    ("contact_email__startswith", "to@", "an@"),
    ("source_ref__contains", "fb.com/le", "fb.com/an"),
]


@pytest.mark.parametrize("lookup,right,wrong", IDENTITY_LOOKUPS, ids=lambda v: str(v))
@pytest.mark.parametrize("protected", ["denunciation", "confidential"])
def test_it_gives_no_oracle_on_a_protected_identity(
    admin_client, world, lookup, right, wrong, protected
):
    ticket = world["ticket"]
    Ticket.objects.filter(pk=ticket.pk).update(
        kind=Ticket.Kind.DENUNCIATION if protected == "denunciation" else Ticket.Kind.FEEDBACK,
        is_confidential=True,
        contact_name="Lê Văn Tố",
        contact_email="to@example.com",
        source_ref="https://fb.com/le.van.to",
    )

    def answer(value):
        r = admin_client.get(url(Ticket, "changelist"), {"code": ticket.code, lookup: value})
        assert r.status_code == 200
        return r.context["cl"].result_count, ticket.title in r.content.decode()

    # A right guess and a wrong one read the same: nothing found.
    assert answer(right) == answer(wrong) == (0, False)
    # The ticket itself is still listed without the identity filter.
    r = admin_client.get(url(Ticket, "changelist"), {"code": ticket.code})
    assert r.context["cl"].result_count == 1


@pytest.mark.parametrize("lookup,right,wrong", IDENTITY_LOOKUPS, ids=lambda v: str(v))
def test_it_still_filters_ordinary_tickets_on_identity_fields(
    admin_client, world, lookup, right, wrong
):
    ticket = world["ticket"]
    Ticket.objects.filter(pk=ticket.pk).update(
        contact_name="Lê Văn Tố",
        contact_email="to@example.com",
        source_ref="https://fb.com/le.van.to",
    )

    def count(value):
        r = admin_client.get(url(Ticket, "changelist"), {"code": ticket.code, lookup: value})
        return r.context["cl"].result_count

    assert (count(right), count(wrong)) == (1, 0)


def test_the_assigned_head_may_find_a_denunciation_by_its_phone(client, world, django_user_model):
    ticket = world["ticket"]
    head = django_user_model.objects.create_user("head", password="x", is_staff=True)
    head.user_permissions.add(Permission.objects.get(codename="view_ticket"))
    Membership.objects.create(user=head, office=world["office"], role=Membership.Role.HEAD)
    Ticket.objects.filter(pk=ticket.pk).update(
        kind=Ticket.Kind.DENUNCIATION, is_confidential=True, assignee=head
    )
    client.force_login(head)
    r = client.get(url(Ticket, "changelist"), {"contact_phone__startswith": "09"})
    assert r.context["cl"].result_count == 1
    r = client.get(url(Ticket, "changelist"), {"q": "0912345678"})
    assert list(r.context["cl"].result_list) == [ticket]
