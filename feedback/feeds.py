"""Atom feeds of public reports, one per ward and one per category (Django's
syndication framework): what an alert email says, for feed readers."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from feedback import selectors_public
from feedback.models import AdministrativeUnit, Category, Ticket
from feedback.templatetags.citizen import category_name

FEED_SIZE = 50


class _TicketFeed(Feed):
    feed_type = Atom1Feed

    def items(self, obj) -> list[Ticket]:
        return list(self.tickets(obj)[:FEED_SIZE])

    def item_title(self, item: Ticket) -> str:
        return f"{item.display_code} — {item.title} ({item.get_status_display()})"

    def item_description(self, item: Ticket) -> str:
        return item.description

    def item_link(self, item: Ticket) -> str:
        return reverse("public:track", args=[item.code])

    def item_pubdate(self, item: Ticket):
        return item.received_at

    def item_categories(self, item: Ticket) -> list[str]:
        return [category_name(item.category), item.unit.name]


class UnitFeed(_TicketFeed):
    def get_object(self, request, code: str) -> AdministrativeUnit:
        return get_object_or_404(selectors_public.reporting_units(), code=code)

    def title(self, obj: AdministrativeUnit) -> str:
        return _("Phản ánh ở %(name)s") % {"name": obj.name}

    def link(self, obj: AdministrativeUnit) -> str:
        return f"{reverse('public:list')}?unit={obj.pk}"

    def tickets(self, obj: AdministrativeUnit):
        return selectors_public.filter_public_tickets(unit=obj)


class CategoryFeed(_TicketFeed):
    def get_object(self, request, code: str) -> Category:
        return get_object_or_404(Category, code=code, is_active=True)

    def title(self, obj: Category) -> str:
        return _("Phản ánh lĩnh vực %(name)s") % {"name": category_name(obj)}

    def link(self, obj: Category) -> str:
        return f"{reverse('public:list')}?category={obj.pk}"

    def tickets(self, obj: Category):
        return selectors_public.filter_public_tickets(category=obj)
