from django.urls import path

from . import views

urlpatterns = [
    path("toolkit/", views.toolkit, name="toolkit"),
]
