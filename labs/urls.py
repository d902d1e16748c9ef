"""URLs of the labs app (under /labs/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="labs_home"),
    path("connections/", views.connections, name="labs_connections"),
    path("connections/add", views.connection_add, name="labs_connection_add"),
    path("connections/<int:connection_id>/validate", views.connection_validate, name="labs_connection_validate"),
    path("connections/<int:connection_id>/delete", views.connection_delete, name="labs_connection_delete"),
    path("connections/role-template.yaml", views.role_template, name="labs_role_template"),
    path("data/<slug:name>", views.dataset_download, name="labs_dataset"),
    path("runs/<int:run_id>/", views.run_detail, name="labs_run"),
    path("runs/<int:run_id>/status", views.run_status, name="labs_run_status"),
    path("runs/<int:run_id>/verify", views.run_verify, name="labs_run_verify"),
    path("runs/<int:run_id>/solution", views.run_solution, name="labs_run_solution"),
    path("runs/<int:run_id>/teardown", views.run_teardown, name="labs_run_teardown"),
    path("runs/<int:run_id>/lookalikes", views.run_lookalikes, name="labs_run_lookalikes"),
    path("runs/<int:run_id>/sandbox-key", views.run_rotate_sandbox_key, name="labs_run_rotate_sandbox_key"),
    path("runs/<int:run_id>/extend", views.run_extend, name="labs_run_extend"),
    path("<slug:slug>/", views.lab_detail, name="labs_lab"),
    path("<slug:slug>/launch", views.launch, name="labs_launch"),
]
