from django.urls import path

from . import views

app_name = "areas"
urlpatterns = [
    path("", views.search, name="search"),
    path("tabel/", views.table, name="table"),
    path("<str:code>/", views.profile, name="profile"),
    path("<str:code>/index/", views.index, name="index"),
    path("<str:code>/kerncijfers.pdf", views.factsheet, name="factsheet"),
    path("<str:code>/vergelijkbaar/", views.comparable, name="comparable"),
]
