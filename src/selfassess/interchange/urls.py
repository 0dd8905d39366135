from django.urls import path

from . import views

app_name = "interchange"

urlpatterns = [
    path("", views.upload, name="upload"),
    path("check/", views.confirm, name="confirm"),
]
