from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("", views.plan, name="plan"),
    path("suggestions/", views.suggestions, name="suggestions"),
    path("suggestions/add/", views.suggestions_add, name="add_suggestions"),
    path(
        "suggestions/<ref:ref>/<slug:suggestion>/dismiss/",
        views.suggestion_dismiss,
        name="dismiss",
    ),
    path(
        "suggestions/<ref:ref>/<slug:suggestion>/restore/",
        views.suggestion_restore,
        name="restore",
    ),
    path("actions/new/", views.action_new, name="new"),
    path("actions/<int:action_id>/", views.action_detail, name="detail"),
    path("actions/<int:action_id>/edit/", views.action_edit, name="edit"),
    path("actions/<int:action_id>/delete/", views.action_delete, name="delete"),
    path("actions/<int:action_id>/progress/", views.action_progress, name="progress"),
]
