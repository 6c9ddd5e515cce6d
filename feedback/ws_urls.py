"""WebSocket URL routes (Channels). Office routing rules are in feedback/routing.py."""

websocket_urlpatterns: list = []
