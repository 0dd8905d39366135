from django import template

register = template.Library()


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
