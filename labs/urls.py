"""URLs of the labs app."""

urlpatterns: list = []
