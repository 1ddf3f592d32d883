"""Small display helpers of the evaluation templates."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from giamsat.evaluation import rules

register = template.Library()

BADGES = {
    rules.Level.HOAN_THANH_XUAT_SAC: "text-bg-success",
    rules.Level.HOAN_THANH_TOT: "text-bg-primary",
    rules.Level.HOAN_THANH: "text-bg-secondary",
    rules.Level.KHONG_HOAN_THANH: "text-bg-danger",
}


@register.filter
def level_badge(level: str):
    """A coloured badge with the level's name ("" for no level)."""
    if not level:
        return ""
    value = rules.Level(level)
    return format_html(
        '<span class="badge {}" data-level="{}">{}</span>',
        BADGES[value],
        value.value,
        rules.level_label(value),
    )


@register.filter
def level_name(level: str) -> str:
    return rules.level_label(level) if level else ""


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag
def record_link(links, kind, pk):
    return links.get((kind, pk), "") if links else ""
