"""URLs of the workbench app."""

urlpatterns: list = []
