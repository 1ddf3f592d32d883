from django.urls import path

from giamsat.people import views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/transfer/", views.transfer, name="transfer"),
    path("<int:pk>/posts/new/", views.add_post, name="add_post"),
    path("posts/<int:pk>/end/", views.end_post, name="end_post"),
]
