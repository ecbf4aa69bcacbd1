"""A refusal by its template and values, for a reader's words without matching a sentence.

The API and the command line answer in English, `str(refusal)`; the web shows the template's
translation (the template is a msgid of the web's catalogue) filled with the same values
(`web.refusals`). Django's own `ValidationError(message, params=...)` is the same idea for the
services' field errors; this is the domain's, which imports no Django.
"""

from __future__ import annotations

from collections.abc import Mapping


class Refusal(ValueError):
    def __init__(self, template: str, **values: object) -> None:
        self.template = template
        self.values: Mapping[str, str] = {name: str(value) for name, value in values.items()}
        super().__init__(template % self.values)
