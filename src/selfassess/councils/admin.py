from django.contrib import admin

from .models import Council, Membership


class MembershipInline(admin.TabularInline):
    """Shown for reference only. People are invited, re-roled and removed on the
    council's People page, which keeps a council's last admin and writes the audit log."""

    model = Membership
    extra = 0
    fields = ["user", "role", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "type", "region", "shares_benchmarks"]
    list_filter = ["type", "region", "shares_benchmarks"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    # Sharing in benchmarks is the council's own choice, made by its admins on its
    # Benchmarks page, which writes the audit log: shown here, never changed here.
    readonly_fields = ["shares_benchmarks", "shares_benchmarks_changed_at"]
    inlines = [MembershipInline]
