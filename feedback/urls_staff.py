from django.contrib.auth import views as auth_views
from django.urls import path

from feedback import views_dashboard, views_documents, views_intake, views_staff

app_name = "staff"
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="staff/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views_staff.inbox, name="inbox"),
    path("inbox/table/", views_staff.inbox_table, name="inbox_table"),
    path("inbox/bulk/", views_staff.inbox_bulk, name="inbox_bulk"),
    path("office/", views_staff.office_numbers, name="office"),
    path("start/", views_dashboard.start, name="start"),
    path("dashboard/", views_dashboard.dashboard, name="dashboard"),
    path("tickets/<str:code>/", views_staff.ticket_detail, name="ticket"),
    path(
        "tickets/<str:code>/attachments/<int:attachment_id>/",
        views_staff.attachment,
        name="attachment",
    ),
    path("tickets/<str:code>/van-ban/", views_documents.issue, name="document_issue"),
    path(
        "tickets/<str:code>/van-ban/<int:document_id>/",
        views_documents.pdf,
        name="document_pdf",
    ),
    path("tickets/<str:code>/<slug:action>/", views_staff.ticket_action, name="ticket_action"),
    # Intake of reports that came by hotline, social media, walk-in or on paper.
    path("intake/", views_intake.index, name="intake"),
    path("intake/nhap-csv/", views_intake.csv_import, name="intake_csv"),
    path("intake/nhap-csv/mau.csv", views_intake.csv_template, name="intake_csv_template"),
    path("intake/da-nhap/<str:code>/", views_intake.done, name="intake_done"),
    path("intake/<slug:channel_slug>/", views_intake.intake, name="intake_form"),
]
