from django.urls import path

from . import views

urlpatterns = [
    path("account/", views.account, name="account"),
    path("account/sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("account/your-data.json", views.personal_data, name="personal_data"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
]
