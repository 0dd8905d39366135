from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("toolkit/", views.toolkit, name="toolkit"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("healthz", views.healthz, name="healthz"),
]
