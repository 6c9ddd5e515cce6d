"""Template helpers for the public pages (issue #3)."""

from django import template

from feedback.selectors_public import category_label

register = template.Library()


@register.filter
def category_name(category) -> str:
    """The category's English name on English pages, when it has one."""
    return category_label(category) if category is not None else ""


@register.simple_tag
def blank_survey_form():
    """The survey's empty form, for the private page's include (the page's
    own view need not know about the survey)."""
    from feedback.forms import SurveyForm

    return SurveyForm()
