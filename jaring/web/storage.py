"""Static files for weak links: hashed names, gzip + brotli, a year's cache.

``HashedCompressedStorage`` is whitenoise's ``CompressedManifestStaticFilesStorage`` (collectstatic writes
``name.<hash>.ext`` plus ``.gz`` and ``.br`` — brotli comes from the pinned ``Brotli`` package) with two
changes:

- ``{% static %}`` gives the hashed name whenever the manifest has it, also with ``DEBUG`` on (``jaring serve``
  runs collectstatic first, so ``make run`` serves what production serves);
- a file not collected yet (tests, a fresh checkout before the first collectstatic) falls back to its plain
  name, which whitenoise serves from the app folders (``WHITENOISE_USE_FINDERS``), instead of an error.

``settings._static_cache_headers`` (``WHITENOISE_ADD_HEADERS_FUNCTION``): a hashed file never changes, so it is
cached a year (``max-age=31536000, immutable``); a plain name gets whitenoise's short default.
"""

from __future__ import annotations

from django.contrib.staticfiles.storage import StaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedCompressedStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = False

    def url(self, name, force=False):
        try:
            return super().url(name, force=True)
        except ValueError:  # not collected yet: the plain name (served from the app's static folder)
            return StaticFilesStorage.url(self, name)

