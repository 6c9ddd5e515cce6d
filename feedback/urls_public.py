from django.urls import path

from feedback import feeds, views_documents, views_public, views_survey, views_transparency

app_name = "public"
urlpatterns = [
    path("", views_public.home, name="home"),
    # --- issue #3: the citizen's pages (Vietnamese slugs; emails link here) ---
    path("gui-phan-anh/", views_public.submit, name="submit"),
    path("gui-phan-anh/gan-day/", views_public.nearby, name="nearby"),
    path(
        "gui-phan-anh/tep-da-chon/<str:ident>/<int:index>/",
        views_public.kept_file,
        name="kept_file",
    ),
    path(
        "gui-phan-anh/ma-xac-nhan/<slug:key>.wav",
        views_public.captcha_audio,
        name="captcha_audio",
    ),
    path("tra-cuu/", views_public.lookup, name="lookup"),
    path("tra-cuu/<str:code>/", views_public.track, name="track"),
    path("tra-cuu/<str:code>/cung-phan-anh/", views_public.support, name="support"),
    path("tra-cuu/<str:code>/tep/<int:pk>/", views_public.public_file, name="public_file"),
    path(
        "tra-cuu/<str:code>/anh-nho/<int:pk>/",
        views_public.public_thumbnail,
        name="public_thumbnail",
    ),
    path("tra-cuu/<str:code>/<str:secret>/", views_public.private, name="private"),
    path("tra-cuu/<str:code>/<str:secret>/khao-sat/", views_survey.survey, name="survey"),
    path(
        "tra-cuu/<str:code>/<str:secret>/tep/<int:pk>/",
        views_public.private_file,
        name="private_file",
    ),
    path(
        "tra-cuu/<str:code>/<str:secret>/van-ban/<int:document_id>/",
        views_documents.for_reporter,
        name="private_document",
    ),
    path("phan-anh/", views_public.public_list, name="list"),
    # --- alerts: follow a report, subscribe to a ward or category, Atom feeds ---
    path("theo-doi/", views_public.alerts_subscribe, name="alerts"),
    path("theo-doi/da-gui/", views_public.alerts_sent, name="alerts_sent"),
    path("theo-doi/xac-nhan/<str:token>/", views_public.alerts_confirm, name="alerts_confirm"),
    path("theo-doi/huy/<str:token>/", views_public.alerts_unsubscribe, name="alerts_unsubscribe"),
    path("phan-anh/atom/phuong/<str:code>/", feeds.UnitFeed(), name="feed_unit"),
    path("phan-anh/atom/linh-vuc/<str:code>/", feeds.CategoryFeed(), name="feed_category"),
    # --- end issue #3 ---
    # --- transparency: public rankings of offices and their methodology ---
    path("minh-bach/", views_transparency.transparency, name="transparency"),
    path("minh-bach/phuong-phap/", views_transparency.methodology, name="methodology"),
    path(
        "minh-bach/xuat.<str:fmt>",
        views_transparency.transparency_export,
        name="transparency_export",
    ),
]
