from django.contrib.auth import views as auth_views
from django.urls import path

from feedback import views_intake

app_name = "staff"
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="staff/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # --- issue #3: staff intake (hotline, social, walk-in, paper, CSV backfill) ---
    path("intake/", views_intake.index, name="intake"),
    path("intake/nhap-csv/", views_intake.csv_import, name="intake_csv"),
    path("intake/nhap-csv/mau.csv", views_intake.csv_template, name="intake_csv_template"),
    path("intake/da-nhap/<str:code>/", views_intake.done, name="intake_done"),
    path("intake/<slug:channel_slug>/", views_intake.intake, name="intake_form"),
    # --- end issue #3 ---
]
