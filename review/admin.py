from django.contrib import admin

from review.models import ChainStep, Decision, RoutingChain, UnitCondition


class ChainStepInline(admin.TabularInline):
    model = ChainStep
    extra = 0


@admin.register(RoutingChain)
class RoutingChainAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "category"]
    inlines = [ChainStepInline]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["declaration", "organisation", "kind", "decided_at", "actor"]
    list_filter = ["kind"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(UnitCondition)
class UnitConditionAdmin(admin.ModelAdmin):
    list_display = [
        "unit", "campaign", "level", "min_education", "min_years_in_title", "min_achievements",
        "created_by", "created_at",
    ]
    list_filter = ["campaign", "level"]
    search_fields = ["unit__name"]
    raw_id_fields = ["unit", "created_by"]
