from django.urls import path

from . import views

app_name = "activities"
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("nieuw/", views.activity_create, name="create"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/bewerken/", views.activity_edit, name="edit"),
    path("<int:pk>/bijeenkomst/", views.meeting_create, name="meeting_create"),
    path("bijeenkomsten/<int:pk>/", views.meeting_edit, name="meeting_edit"),
    path("deelnemers/", views.participant_list, name="participants"),
    path("import/", views.import_upload, name="import"),
    path("import/<int:pk>/", views.import_detail, name="import_detail"),
    path("import/<int:pk>/afgekeurd.csv", views.import_rejected, name="import_rejected"),
    path("bereik/", views.reach_view, name="reach"),
]

kaart_patterns = [
    path("", views.kaart_search, name="search"),
    path("<int:pk>/", views.kaart_detail, name="detail"),
    path("open-data.json", views.kaart_open_data, {"fmt": "json"}, name="json"),
    path("open-data.csv", views.kaart_open_data, {"fmt": "csv"}, name="csv"),
]
