from django.urls import path

from . import views

app_name = "evaluation"
urlpatterns = [
    path("", views.evaluation_list, name="list"),
    path("nieuw/", views.evaluation_create, name="create"),
    path("samenstelling/", views.composition, name="composition"),
    path("<int:pk>/", views.evaluation_detail, name="detail"),
    path("<int:pk>/berekenen/", views.evaluation_run, name="run"),
    path("<int:pk>/runs/<int:run_pk>/", views.evaluation_detail, name="run_detail"),
    path("<int:pk>/runs/<int:run_pk>/status/", views.run_status, name="status"),
    path("<int:pk>/runs/<int:run_pk>/evaluatie.json", views.run_json, name="run_json"),
    path("<int:pk>/runs/<int:run_pk>/evaluatie.pdf", views.run_pdf, name="run_pdf"),
]
