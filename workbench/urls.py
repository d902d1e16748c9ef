"""URLs of the SQL workbench (under /sql/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="workbench_home"),
    path("run", views.run, name="workbench_run"),
    path("reset", views.reset, name="workbench_reset"),
    path("exercises/<slug:slug>/", views.exercise, name="workbench_exercise"),
    path("exercises/<slug:slug>/check", views.check, name="workbench_check"),
]
