from django.urls import path

from . import views

app_name = "parties"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("<int:organisation_id>/leden.csv", views.members_csv, name="members_csv"),
]
