from django import template
from django.conf import settings
from django.utils.safestring import mark_safe

from selfassess.core import dates, kept, numbers

register = template.Library()


@register.filter
def one_place(value) -> str:
    """`numbers.one_place`: the same figures as `floatformat:1` without localisation, at
    a tenth of its cost (a results page shows a hundred)."""
    return numbers.one_place(value)


@register.filter
def level_label(score, levels) -> str:
    """'2: Comprehensive' for a score, 'Unscored' for none."""
    if score is None or score == "":
        return "Unscored"
    for level in levels:
        if level.value == int(score):
            return f"{level.value}: {level.label}"
    return str(score)


@register.filter
def get_count(counts: dict, value) -> int:
    return counts.get(value, 0)


@register.filter
def last_value(levels) -> int | None:
    """The top value of a scale (levels in ascending order)."""
    levels = list(levels)
    return levels[-1].value if levels else None


@register.filter
def field_named(form, name: str):
    """form|field_named:"1.1" gives the bound field s1.1 (survey) or a field by its id."""
    key = f"s{name}" if f"s{name}" in form.fields else name
    return form[key]


@register.filter
def person(user, council) -> str:
    """{{ change.user|person:council }}: the name, or "Former user" for someone no longer
    in the council (see Council.person_label)."""
    return council.person_label(user)


@register.filter
def person_in_text(user, council) -> str:
    """The same, for the middle of a sentence: "a former user"."""
    label = council.person_label(user)
    return "a former user" if label == "Former user" else label


@register.simple_tag
def body_classes_script() -> str:
    """The inline script that marks <body> for GOV.UK Frontend's JavaScript styles before
    the page first draws (settings.BODY_CLASSES_SCRIPT, allowed by its hash)."""
    return mark_safe(f"<script>{settings.BODY_CLASSES_SCRIPT}</script>")  # noqa: S308 (a constant)


@register.filter
def time_of_day(moment) -> str:
    """{{ when|time_of_day }}: 3:42pm (core.dates.time_of_day)."""
    return dates.time_of_day(moment)


@register.simple_tag(takes_context=True)
def keeps_typing(context, page: str | None = None) -> str:
    """The hidden field of a form whose typing is kept if the session has ended when it
    is saved (core.kept); `page` is where to show it again, if not this page."""
    return kept.owner_field(context["request"], page)


@register.filter
def statement_anchor(ref: str) -> str:
    """{{ ref|statement_anchor }}: the id of statement 2.1's part of its principle's
    page, statement-r2-1, to link straight to it."""
    return "statement-r" + str(ref).replace(".", "-")
