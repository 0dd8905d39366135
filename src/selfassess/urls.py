from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.http import Http404
from django.urls import include, path

from selfassess.councils.views import invitation

admin.site.site_header = "Self-Assess administration"
# The Django admin signs in through allauth too, so its two-factor step and rate limits
# apply; its own password-only login form is never shown.
admin.site.login = secure_admin_login(admin.site.login)


def email_management_is_off(request):
    raise Http404


urlpatterns = [
    path("", include("selfassess.core.urls")),
    path("", include("selfassess.frameworks.urls")),
    path("", include("selfassess.workspace.urls")),
    path("", include("selfassess.accounts.urls")),
    path("invitations/<str:token>/", invitation, name="invitation"),
    # An email address is who a person is here, and admins invite by it: people do not add
    # or switch addresses themselves (an admin invites the new address instead).
    path("accounts/email/", email_management_is_off),
    path("accounts/", include("allauth.urls")),
    path("councils/", include("selfassess.councils.urls")),
    path("councils/<slug:slug>/assessments/", include("selfassess.assessments.urls")),
    path("councils/<slug:slug>/assessments/import/", include("selfassess.interchange.urls")),
    path("councils/<slug:slug>/assessments/<int:pk>/plan/", include("selfassess.plans.urls")),
    path("councils/<slug:slug>/assessments/<int:pk>/report/", include("selfassess.reports.urls")),
    path("", include("selfassess.feedback.urls")),
    path("queue/", include("selfassess.background.urls")),
    path("benchmarks/", include("selfassess.benchmarks.urls")),
    path("host/", include("selfassess.host.urls")),
    path("admin/", admin.site.urls),
]
