from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("<int:pk>/principles/<int:number>/", views.principle, name="principle"),
    path("<int:pk>/statements/<ref:ref>/history/", views.history, name="history"),
    path("<int:pk>/sign-off/", views.sign_off, name="sign_off"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
]
