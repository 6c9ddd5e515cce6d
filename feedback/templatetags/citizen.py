"""Template helpers for the public pages (issue #3)."""

from django import template

from feedback.selectors_public import category_label

register = template.Library()


@register.filter
def category_name(category) -> str:
    """The category's English name on English pages, when it has one."""
    return category_label(category) if category is not None else ""
