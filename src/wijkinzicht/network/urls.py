from django.urls import path

from . import views

app_name = "network"
urlpatterns = [
    path("", views.network_index, name="index"),
    path("banden/", views.ties_mine, name="ties"),
    path("banden/nieuw/", views.tie_declare, name="tie_declare"),
    path("banden/<int:pk>/antwoord/", views.tie_answer, name="tie_answer"),
    path("banden/<int:pk>/einde/", views.tie_end, name="tie_end"),
    path("partijen/nieuw/", views.party_add, name="party_add"),
    path("partijen/<int:pk>/", views.party_detail, name="party"),
    path("partijen/<int:pk>/samenvoegen/", views.party_merge, name="party_merge"),
    path("gebied/<str:code>/", views.area_network, name="area"),
    path("gebied/<str:code>/partijen.csv", views.area_export, {"fmt": "parties"}, name="area_parties_csv"),
    path("gebied/<str:code>/banden.csv", views.area_export, {"fmt": "ties"}, name="area_ties_csv"),
    path("gebied/<str:code>/netwerk.graphml", views.area_export, {"fmt": "graphml"}, name="area_graphml"),
    path("programma/<int:pk>/", views.programme_network, name="programme"),
    path(
        "programma/<int:pk>/partijen.csv",
        views.programme_export,
        {"fmt": "parties"},
        name="programme_parties_csv",
    ),
    path("programma/<int:pk>/banden.csv", views.programme_export, {"fmt": "ties"}, name="programme_ties_csv"),
    path(
        "programma/<int:pk>/netwerk.graphml",
        views.programme_export,
        {"fmt": "graphml"},
        name="programme_graphml",
    ),
]
