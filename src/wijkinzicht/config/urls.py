"""URL configuration: pages, the API under /api/v1 and the Dutch admin."""

from django.contrib import admin
from django.urls import include, path

from wijkinzicht.areas import views as area_views

urlpatterns = [
    path("", area_views.home, name="home"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("wijkinzicht.config.api_urls")),
    path("", include("wijkinzicht.core.urls")),
    path("gebieden/", include("wijkinzicht.areas.urls")),
    path("organisatie/", include("wijkinzicht.parties.urls")),
    path("evaluaties/", include("wijkinzicht.evaluation.urls")),
]
