from django.contrib import admin

from giamsat.oversight.models import (
    Case,
    CaseStep,
    CaseSubject,
    Catalogue,
    CatalogueItem,
    Commitment,
    CommitmentItem,
    Criticism,
    Finding,
    FollowUp,
    Programme,
    ProgrammeItem,
    SupervisionActivity,
    TeamMember,
)


class CatalogueItemInline(admin.TabularInline):
    model = CatalogueItem
    extra = 0
    fields = ["code", "group", "number", "label", "status", "topic"]


@admin.register(Catalogue)
class CatalogueAdmin(admin.ModelAdmin):
    """Administrators complete the catalogues where the research had gaps."""

    list_display = ["title", "kind", "source_document", "valid_from", "valid_to", "unconfirmed"]
    list_filter = ["kind", "unconfirmed"]
    inlines = [CatalogueItemInline]


@admin.register(CatalogueItem)
class CatalogueItemAdmin(admin.ModelAdmin):
    list_display = ["catalogue", "code", "label", "status", "topic"]
    list_filter = ["catalogue", "status"]
    search_fields = ["label", "text", "code"]
    readonly_fields = ["completed_by"]


class SubjectInline(admin.TabularInline):
    model = CaseSubject
    extra = 0
    raw_id_fields = ["unit", "person"]


class TeamInline(admin.TabularInline):
    model = TeamMember
    extra = 0
    raw_id_fields = ["person"]


class StepInline(admin.TabularInline):
    model = CaseStep
    extra = 0


class FindingInline(admin.TabularInline):
    model = Finding
    extra = 0
    raw_id_fields = ["catalogue_item", "subject"]


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Read-mostly: cases change through the pages (services, optimistic locking)."""

    list_display = ["title", "kind", "conducting_unit", "decided_on", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "decision_symbol"]
    raw_id_fields = ["conducting_unit", "programme_item", "reinspection_of"]
    readonly_fields = ["version"]
    inlines = [SubjectInline, TeamInline, StepInline, FindingInline]


class ProgrammeItemInline(admin.TabularInline):
    model = ProgrammeItem
    extra = 0
    raw_id_fields = ["subject_unit", "subject_person"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["title", "conducting_unit", "year"]
    raw_id_fields = ["conducting_unit"]
    inlines = [ProgrammeItemInline]


@admin.register(Criticism)
class CriticismAdmin(admin.ModelAdmin):
    list_display = ["date", "by_unit", "subject_unit", "subject_person"]
    raw_id_fields = ["by_unit", "subject_unit", "subject_person", "case"]


class ItemInline(admin.TabularInline):
    model = CommitmentItem
    extra = 0


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    extra = 0
    raw_id_fields = ["by_unit", "case", "item"]


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = [
        "signed_on",
        "subject_unit",
        "subject_person",
        "supervising_unit",
        "origin_kind",
    ]
    list_filter = ["origin_kind"]
    raw_id_fields = ["subject_unit", "subject_person", "supervising_unit"]
    inlines = [ItemInline, FollowUpInline]


@admin.register(SupervisionActivity)
class SupervisionActivityAdmin(admin.ModelAdmin):
    list_display = ["date", "conducting_unit", "method", "subject_unit"]
    raw_id_fields = ["conducting_unit", "subject_unit", "subject_person"]
