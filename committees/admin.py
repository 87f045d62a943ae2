"""The office's admin for committees, the expert pool and committee roles."""

from __future__ import annotations

from django.contrib import admin

from committees.models import Committee, CommitteeRole, ConflictDeclaration, Expert


class CommitteeRoleInline(admin.TabularInline):
    model = CommitteeRole
    extra = 1
    autocomplete_fields = ["expert"]


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "host", "approval_body", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    inlines = [CommitteeRoleInline]


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ["name", "field", "title", "employer_name", "term_start", "term_end", "is_active"]
    list_filter = ["field", "is_active"]
    search_fields = ["name", "employer_name"]
    raw_id_fields = ["user", "employer"]


@admin.register(CommitteeRole)
class CommitteeRoleAdmin(admin.ModelAdmin):
    list_display = ["committee", "expert", "role"]
    list_filter = ["committee", "role"]
    autocomplete_fields = ["expert"]


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(admin.ModelAdmin):
    list_display = ["expert", "declaration", "reason", "created_at"]
    raw_id_fields = ["expert", "declaration"]
