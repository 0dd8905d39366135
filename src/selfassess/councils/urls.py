from django.urls import path

from . import views

app_name = "councils"

urlpatterns = [
    path("<slug:slug>/people/", views.people, name="people"),
    path("<slug:slug>/people/<int:member_id>/role/", views.change_role, name="change_role"),
    path("<slug:slug>/people/<int:member_id>/remove/", views.remove, name="remove"),
    path(
        "<slug:slug>/invitations/<int:invitation_id>/",
        views.invitation_action,
        name="invitation_action",
    ),
    path("<slug:slug>/audit/", views.audit_log, name="audit"),
    path("<slug:slug>/benchmarks/", views.sharing, name="sharing"),
]
