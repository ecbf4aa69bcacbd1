"""The follow-up templates' number formats (see `followup.formatting`)."""

from __future__ import annotations

from django import template

from utskrivning.followup import formatting
from utskrivning.lib.date_inputs import Kind, date_input
from utskrivning.lib.groups import rulebook_name

register = template.Library()


@register.filter
def plain(value: float | None) -> str:
    return formatting.plain(value)


@register.filter
def shown(value: float | None, unit: str = "mean") -> str:
    return formatting.shown(value, unit)


@register.filter
def difference(value: float | None, unit: str = "mean") -> str:
    return formatting.difference(value, unit)


@register.filter
def change(verdict: str | None) -> str:
    return formatting.change(verdict)


@register.filter
def points(line: tuple[tuple[float, float], ...]) -> str:
    """An SVG `points` attribute, never localised (a decimal comma would break it)."""
    return " ".join(f"{formatting.plain(x)},{formatting.plain(y)}" for x, y in line)


@register.filter(name="rulebook_name")
def rulebook_name_filter(title: str) -> str:
    """A rulebook's title in the reader's language."""
    return rulebook_name(title)


@register.simple_tag(name="date_input")
def date_input_tag(
    name: str, kind: Kind, value: object = "", *, id: str, required: bool = False
) -> str:
    """A date typed as ÅÅÅÅ-MM-DD whatever the browser's language (`lib.date_inputs`)."""
    return date_input(name, kind, value, id=id, required=required)
