"""Admin for people: descriptive fields may be corrected here; memberships and posts change
through the people forms (services), which keep their history."""

from django.contrib import admin

from giamsat.people.models import Membership, Person, Post


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    can_delete = False
    readonly_fields = ["unit", "kind", "valid_from", "valid_to", "note"]

    def has_add_permission(self, request, obj=None):
        return False


class PostInline(admin.TabularInline):
    model = Post
    extra = 0
    can_delete = False
    readonly_fields = ["unit", "kind", "title", "is_head", "valid_from", "valid_to", "ended_by"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "birth_date", "status", "party_card_number"]
    list_filter = ["status", "category", "is_fictional"]
    search_fields = ["name_search", "party_card_number", "identity_number"]
    raw_id_fields = ["affiliation"]
    inlines = [MembershipInline, PostInline]

    def get_search_results(self, request, queryset, search_term):
        # Diacritics optional, as on the people page ("duc" finds "Đức").
        if not search_term:
            return queryset, False
        return queryset.search(search_term), False
