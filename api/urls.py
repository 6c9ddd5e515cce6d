from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api import views, views_staff
from feedback import workflow

urlpatterns = [
    path("v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves the page's script as a file of its own: no inline
    # JavaScript, so the docs work under a script-src 'self' policy.
    path("v1/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("v1/tickets/", views.TicketsView.as_view(), name="api-tickets"),
    path("v1/tickets/<str:code>/", views.TicketDetailView.as_view(), name="api-ticket"),
    path("v1/tickets/<str:code>/reporter/", views.ReporterView.as_view(), name="api-reporter"),
    path("v1/tickets/<str:code>/reporter/reply/", views.ReplyView.as_view(), name="api-reply"),
    path("v1/tickets/<str:code>/reporter/rate/", views.RateView.as_view(), name="api-rate"),
    path("v1/tickets/<str:code>/reporter/survey/", views.SurveyView.as_view(), name="api-survey"),
    path("v1/tickets/<str:code>/reporter/reopen/", views.ReopenView.as_view(), name="api-reopen"),
    path("v1/tickets/<str:code>/support/", views.SupportView.as_view(), name="api-support"),
    path("v1/categories/", views.CategoriesView.as_view(), name="api-categories"),
    path("v1/units/", views.UnitsView.as_view(), name="api-units"),
    path("v1/offices/", views.OfficesView.as_view(), name="api-offices"),
    path("v1/rankings/", views.RankingsView.as_view(), name="api-rankings"),
    path("v1/events/", views.FeedView.as_view(), name="api-events"),
    path("v1/staff/inbox/", views_staff.InboxView.as_view(), name="api-staff-inbox"),
    path(
        "v1/staff/tickets/<str:code>/",
        views_staff.StaffTicketView.as_view(),
        name="api-staff-ticket",
    ),
    # One endpoint per staff action of the workflow's table.
    *[
        path(
            f"v1/staff/tickets/<str:code>/{name}/",
            views_staff.action_view(name),
            name=f"api-staff-{name}",
        )
        for name in workflow.STAFF_ACTIONS
    ],
]
