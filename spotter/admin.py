from allauth.account.decorators import secure_admin_login
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from . import privacy, services
from .errors import SpotterError
from .models import AuditEvent, User
from .readonly_admin import ReadOnlyAdmin

# The admin has no password form of its own: allauth's decorator sends anonymous visitors to
# allauth's login (so the same rate limits and two-factor step protect it, and
# RequireMFAMiddleware then applies) and refuses signed-in users who are not staff.
admin.site.login = secure_admin_login(admin.site.login)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = [
        "email",
        "display_name",
        "role",
        "company",
        "country",
        "is_active",
        "date_joined",
    ]
    list_filter = ["role", "company", "country", "is_active", "is_senior_expert", "is_lead_spotter"]
    search_fields = ["email", "display_name", "pseudonym"]
    readonly_fields = ["pseudonym", "last_login", "date_joined"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("display_name", "country", "languages", "pseudonym")}),
        (_("Role"), {"fields": ("role", "company", "is_senior_expert", "is_lead_spotter")}),
        (
            _("Access"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "role", "company", "display_name", "country"),
            },
        ),
    )
    actions = ["send_invitation", "close_accounts"]

    def has_delete_permission(self, request, obj=None):
        # People are never deleted (their reports and audit events point at them): volunteers'
        # accounts are closed (anonymised) instead, staff accounts deactivated.
        return False

    def save_model(self, request, obj, form, change):
        if not change:
            user = services.create_user_with_role(
                email=obj.email,
                role=obj.role,
                company=obj.company,
                display_name=obj.display_name,
                country=obj.country,
                actor=request.user,
            )
            obj.pk = user.pk
            obj.refresh_from_db()
            link = services.send_invitation(user=user, actor=request.user)
            self.message_user(
                request,
                _("Invitation sent to %(email)s (%(link)s).") % {"email": user.email, "link": link},
                messages.SUCCESS,
            )
            return
        role_fields = {"role", "company"}
        if role_fields & set(form.changed_data):
            new_role, new_company = obj.role, obj.company
            other = {f: getattr(obj, f) for f in form.changed_data if f not in role_fields}
            obj.refresh_from_db()
            services.change_role(user=obj, role=new_role, company=new_company, actor=request.user)
            obj.refresh_from_db()
            for field, value in other.items():
                if field not in ("groups", "user_permissions"):
                    setattr(obj, field, value)
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Close volunteer accounts (anonymise; reports stay)"))
    def close_accounts(self, request, queryset):
        closed = 0
        for user in queryset:
            try:
                privacy.close_account(user=user, actor=request.user)
            except SpotterError as exc:
                self.message_user(request, f"{user.pk}: {exc}", messages.WARNING)
            else:
                closed += 1
        self.message_user(request, _("%(n)d account(s) closed.") % {"n": closed})

    @admin.action(description=_("Send an invitation (set-password link)"))
    def send_invitation(self, request, queryset):
        for user in queryset:
            services.send_invitation(user=user, actor=request.user)
        self.message_user(request, _("Invitations sent."), messages.SUCCESS)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only: the audit log is append-only."""

    list_display = [
        "created_at",
        "action",
        "object_type",
        "object_id",
        "actor",
        "from_state",
        "to_state",
        "ip_address",
    ]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "actor_label", "reason"]
    date_hierarchy = "created_at"
    list_select_related = ["actor"]
