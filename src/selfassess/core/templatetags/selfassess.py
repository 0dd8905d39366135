from django import template

from selfassess.core import numbers

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
