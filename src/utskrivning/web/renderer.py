"""Every Django form renders on Designsystemet (settings.FORM_RENDERER): a `{{ form }}` or
`{{ field.as_field_group }}` in any app's template gets ds-field, ds-label, ds-input and
ds-validation-message, so no template spells the design system's form markup out by hand."""

from __future__ import annotations

from typing import Any

from django.forms import BoundField
from django.forms.renderers import DjangoTemplates


class DesignsystemetBoundField(BoundField):
    """A visible widget carries `ds-input`, its label `ds-label`, beside the form's own classes."""

    def label_tag(
        self, contents: Any = None, attrs: Any = None, label_suffix: Any = None, tag: Any = None
    ) -> Any:
        attrs = dict(attrs or {})
        attrs["class"] = f"{attrs.get('class', '')} ds-label".strip()
        # Designsystemet's labels stand above their fields without a colon.
        return super().label_tag(contents, attrs, "" if label_suffix is None else label_suffix, tag)

    def build_widget_attrs(self, attrs: dict[str, Any], widget: Any = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if not widget.is_hidden:
            given = attrs.get("class") or widget.attrs.get("class") or ""
            attrs["class"] = f"{given} ds-input".strip()
        return attrs


class DesignsystemetRenderer(DjangoTemplates):
    form_template_name = "web/forms/div.html"
    field_template_name = "web/forms/field.html"
    bound_field_class = DesignsystemetBoundField
