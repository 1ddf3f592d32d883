from django.urls import path

from giamsat.directives import views

app_name = "directives"

urlpatterns = [
    path("", views.directive_list, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/attachments/", views.upload, name="upload"),
]
