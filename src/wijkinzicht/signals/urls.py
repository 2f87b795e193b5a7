from django.urls import path

from . import views

app_name = "signals"
urlpatterns = [
    path("", views.signal_list, name="list"),
    path("nieuw/", views.signal_new, name="new"),
    path("importeren/", views.signal_import, name="import"),
    path("<int:pk>/", views.signal_detail, name="detail"),
    path("<int:pk>/beoordelen/", views.signal_review, name="review"),
    path("rapport/", views.report_index, name="report_index"),
    path("rapport/<str:code>/", views.report, name="report"),
    path("rapport/<str:code>/signalen.csv", views.report_export, {"fmt": "csv"}, name="report_csv"),
    path("rapport/<str:code>/signalen.pdf", views.report_export, {"fmt": "pdf"}, name="report_pdf"),
    path("bundels/<int:pk>/", views.bundle_detail, name="bundle"),
    path("model/", views.classifier, name="classifier"),
    path("model/trainen/", views.classifier_train, name="classifier_train"),
    path("model/<int:pk>/gebruiken/", views.classifier_activate, name="classifier_activate"),
]
