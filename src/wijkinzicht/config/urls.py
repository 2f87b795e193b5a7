"""URL configuration: pages, the API under /api/v1 and the Dutch admin."""

from django.contrib import admin
from django.urls import include, path

from wijkinzicht.activities import views as activity_views
from wijkinzicht.activities.urls import kaart_patterns
from wijkinzicht.core.views import ApiRootView

urlpatterns = [
    path("", activity_views.home, name="home"),
    path("admin/", admin.site.urls),
    path("api/v1", ApiRootView.as_view(), name="api-root"),
    path("api/v1/", include("wijkinzicht.config.api_urls")),
    path("", include("wijkinzicht.core.urls")),
    path("account/", include("wijkinzicht.accounts.urls")),
    path("gebieden/", include("wijkinzicht.areas.urls")),
    path("organisatie/", include("wijkinzicht.parties.urls")),
    path("activiteiten/", include("wijkinzicht.activities.urls")),
    path("sociale-kaart/", include((kaart_patterns, "kaart"))),
    path("evaluaties/", include("wijkinzicht.evaluation.urls")),
    path("programmas/", include("wijkinzicht.outcomes.urls")),
    path("netwerk/", include("wijkinzicht.network.urls")),
    path("signalen/", include("wijkinzicht.signals.urls")),
    path("privacy/", include("wijkinzicht.privacy.urls")),
]

handler400 = "wijkinzicht.core.views.bad_request"
handler403 = "wijkinzicht.core.views.permission_denied"
handler404 = "wijkinzicht.core.views.page_not_found"
handler500 = "wijkinzicht.core.views.server_error"
