from django.urls import path, re_path

from . import views

app_name = "outcomes"
urlpatterns = [
    path("", views.programme_list, name="list"),
    path("nieuw/", views.programme_create, name="create"),
    path("<int:pk>/", views.programme_detail, name="detail"),
    path("<int:pk>/bewerken/", views.programme_edit, name="edit"),
    path("<int:pk>/model/", views.model_edit, name="model_edit"),
    path("<int:pk>/model/elementen/", views.element_add, name="element_add"),
    path("<int:pk>/model/elementen/<int:element_pk>/", views.element_edit, name="element_edit"),
    path("<int:pk>/model/elementen/<int:element_pk>/verplaatsen/", views.element_move, name="element_move"),
    path(
        "<int:pk>/model/elementen/<int:element_pk>/verwijderen/", views.element_delete, name="element_delete"
    ),
    path("<int:pk>/model/pijlen/", views.link_add, name="link_add"),
    path("<int:pk>/model/pijlen/<int:link_pk>/", views.link_edit, name="link_edit"),
    path("<int:pk>/model/pijlen/<int:link_pk>/verwijderen/", views.link_delete, name="link_delete"),
    path("<int:pk>/versies/", views.versions, name="versions"),
    path("<int:pk>/versies/<int:number>/", views.version_detail, name="version"),
    re_path(
        r"^(?P<pk>\d+)/veranderingsmodel\.(?P<fmt>svg|csv|xlsx)$", views.model_export, name="model_export"
    ),
    path("<int:pk>/uitkomsten/<int:element_pk>/", views.outcome_detail, name="outcome"),
    path("<int:pk>/uitkomsten/<int:element_pk>/indicator/", views.indicator_create, name="indicator_create"),
    path("<int:pk>/indicatoren/<int:indicator_pk>/", views.indicator_detail, name="indicator"),
    path("<int:pk>/indicatoren/<int:indicator_pk>/bewerken/", views.indicator_edit, name="indicator_edit"),
    path("<int:pk>/resultaten/", views.analysis, name="analysis"),
    path("<int:pk>/rapport/", views.report, name="report"),
    path("<int:pk>/rapport.pdf", views.report_pdf, name="report_pdf"),
    path("metingen/", views.measurement_list, name="measurements"),
    path("metingen/<int:measurement_pk>/", views.measurement_edit, name="measurement_edit"),
    path("metingen/<int:measurement_pk>/verwijderen/", views.measurement_delete, name="measurement_delete"),
    path("metingen/<slug:instrument>/nieuw/", views.measurement_create, name="measurement_create"),
    path("metingen/<slug:instrument>/importeren/", views.measurement_import, name="measurement_import"),
    path("metingen/importen/<int:pk>/", views.measurement_import_status, name="measurement_import_status"),
]
