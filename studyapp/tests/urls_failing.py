"""The app's URLs plus one view that fails, to see the 500 page as production serves it."""

from django.urls import path

from studyapp.urls import urlpatterns as app_urls


def fail(request):
    raise RuntimeError("a deliberate failure")


urlpatterns = [*app_urls, path("test-failure/", fail)]
