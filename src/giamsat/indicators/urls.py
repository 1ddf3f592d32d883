from django.urls import path

from giamsat.indicators import views

app_name = "indicators"

urlpatterns = [
    path("", views.home, name="home"),
    path("<str:code>/records/", views.drilldown, name="drilldown"),
    path("<str:code>/by-unit/", views.breakdown, name="breakdown"),
]
