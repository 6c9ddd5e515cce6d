from django.urls import path

from feedback import views_public

app_name = "public"
urlpatterns = [
    path("", views_public.home, name="home"),
    path("tra-cuu/<str:code>/", views_public.track, name="track"),
]
