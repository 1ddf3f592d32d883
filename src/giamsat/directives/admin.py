from django.contrib import admin

from giamsat.directives.models import Directive, DirectiveAlias


class AliasInline(admin.TabularInline):
    model = DirectiveAlias
    extra = 0
    readonly_fields = ["symbol"]


@admin.register(Directive)
class DirectiveAdmin(admin.ModelAdmin):
    list_display = ["symbol", "issued_on", "title", "status"]
    list_filter = ["doc_type", "status"]
    search_fields = ["symbol", "title_search"]
    raw_id_fields = ["issuing_unit", "replaced_by", "implements"]
    inlines = [AliasInline]

    def get_search_results(self, request, queryset, search_term):
        # Any accepted spelling of a symbol, aliases, or words without diacritics.
        if not search_term:
            return queryset, False
        return queryset.search(search_term), False
