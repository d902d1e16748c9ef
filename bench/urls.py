"""The app's URLs and two reference pages the benchmark measures beside the floor: what a signed-in page costs
before it does anything (an empty response), and with the base layout alone (header, navigation, account menu).
A signed-in page cannot do better than the second, so it shows how much of the floor's throughput is left for
a page's own work. Served only by `make bench` (bench/stack.py sets ROOT_URLCONF)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

from studyapp.urls import urlpatterns as app_urlpatterns


@login_required
def signed_in_empty(request):
    return HttpResponse("")


@login_required
def signed_in_layout(request):
    return render(request, "base.html", {})


urlpatterns = [
    path("bench/signed-in-empty/", signed_in_empty),
    path("bench/signed-in-layout/", signed_in_layout),
    *app_urlpatterns,
]
