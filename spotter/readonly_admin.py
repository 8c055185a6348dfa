"""The admin base for records that change only through their app's services (audited): they
can be listed and read in /admin/, never added, edited or deleted there."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
