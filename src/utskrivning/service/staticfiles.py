"""Static files as `utskrivning serve` serves them: hashed names, compressed copies (WhiteNoise)."""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFiles(CompressedManifestStaticFilesStorage):
    """A process that never collected the files (a management command rendering a page, a test
    with production settings) links their plain names instead of failing on a missing manifest.
    Once collected, a file missing from the manifest is a real fault and still raises."""

    def stored_name(self, name: str) -> str:
        try:
            return str(super().stored_name(name))
        except ValueError:
            if self.hashed_files:
                raise
            return name
