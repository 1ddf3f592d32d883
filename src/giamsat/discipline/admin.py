from django.contrib import admin

from giamsat.discipline.models import (
    AuthorityRule,
    Ballot,
    DisciplineAppeal,
    DisciplineCase,
    DisciplineDecision,
    Violation,
)


@admin.register(AuthorityRule)
class AuthorityRuleAdmin(admin.ModelAdmin):
    """The configurable, dated authority matrix; unconfirmed rows are flagged."""

    list_display = [
        "subject_kind",
        "scope",
        "form",
        "proposing_body",
        "deciding_body",
        "valid_from",
        "valid_to",
        "unconfirmed",
    ]
    list_filter = ["unconfirmed", "subject_kind", "form", "valid_from"]
    search_fields = ["source", "note"]


class ViolationInline(admin.TabularInline):
    model = Violation
    extra = 0
    raw_id_fields = ["group"]
    exclude = ["provisions"]


class BallotInline(admin.TabularInline):
    model = Ballot
    extra = 0
    raw_id_fields = ["body"]


class DecisionInline(admin.TabularInline):
    model = DisciplineDecision
    fk_name = "case"
    extra = 0
    raw_id_fields = ["deciding_unit", "replaces"]


@admin.register(DisciplineCase)
class DisciplineCaseAdmin(admin.ModelAdmin):
    list_display = ["subject", "subject_kind", "unit", "status", "current_form", "decided_on"]
    list_filter = ["status", "subject_kind", "current_form"]
    raw_id_fields = [
        "person",
        "organisation",
        "unit",
        "post",
        "origin_case",
        "proposing_unit",
        "deciding_unit",
        "authority_rule",
    ]
    readonly_fields = ["version"]
    inlines = [ViolationInline, BallotInline, DecisionInline]


@admin.register(DisciplineAppeal)
class DisciplineAppealAdmin(admin.ModelAdmin):
    list_display = ["decision", "filed_on", "resolving_unit", "outcome", "resolution_due"]
    list_filter = ["outcome"]
    raw_id_fields = ["decision", "resolving_unit"]
