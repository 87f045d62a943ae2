from django.contrib import admin

from review.models import ChainStep, Decision, RoutingChain


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
