"""WebSocket URL routes (Channels)."""

from django.urls import path

from feedback import consumers

websocket_urlpatterns = [
    path("ws/staff/office/<int:office_id>/", consumers.OfficeInboxConsumer.as_asgi()),
    path("ws/staff/tickets/<str:code>/", consumers.TicketPresenceConsumer.as_asgi()),
    path("ws/ticket/<str:code>/", consumers.TicketConsumer.as_asgi()),
]
