from django.contrib import admin

from giamsat.people.models import Membership, Person, Post


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["unit"]


class PostInline(admin.TabularInline):
    model = Post
    extra = 0
    raw_id_fields = ["unit"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "birth_date", "status", "party_card_number"]
    list_filter = ["status", "category", "is_fictional"]
    search_fields = ["name_search", "party_card_number", "identity_number"]
    raw_id_fields = ["affiliation"]
    inlines = [MembershipInline, PostInline]
