from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("toolkit/", views.toolkit, name="toolkit"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("security/", views.security, name="security"),
    path("healthz", views.healthz, name="healthz"),
]
