"""The public hotline under /hotline/ (no login). Included by giamsat/urls.py."""

from django.urls import path

from giamsat.petitions import public_views

app_name = "hotline"

urlpatterns = [
    path("", public_views.home, name="home"),
    path("status/", public_views.status, name="status"),
    path("status/add/", public_views.follow_up, name="follow_up"),
]
