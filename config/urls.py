from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from feedback import health, metrics

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics_view, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("captcha/", include("captcha.urls")),
    path("api/", include("api.urls")),
    path("open311/", include("api.urls_open311")),
    path("staff/", include("feedback.urls_staff")),
    path("", include("feedback.urls_public")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
