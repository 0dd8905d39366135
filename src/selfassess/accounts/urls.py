from django.urls import path

from . import views

urlpatterns = [
    path("account/sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("account/emails/", views.email_settings, name="email_settings"),
    path(
        "account/two-factor/continue/",
        views.continue_after_two_factor,
        name="continue_after_two_factor",
    ),
]
