"""Which copy of the package the suite tests.

``make test`` tests the source tree (the editable install of overlays/ and generated/).
``make test-installed`` and ``make test-lowest`` set ``AISQUARE_STUDIO_TEST_INSTALLED=1`` and run
the suite from the unpacked sdist against the wheel installed in a fresh venv; a distributor runs
it the same way. Tests marked ``source_tree`` need the repository itself and are skipped there.
"""

from __future__ import annotations

import os

INSTALLED = os.environ.get("AISQUARE_STUDIO_TEST_INSTALLED") == "1"
"""The suite runs against an installed wheel, not the source tree."""

LOWEST = os.environ.get("AISQUARE_STUDIO_TEST_LOWEST") == "1"
"""The installed dependencies are the lowest that pyproject.toml allows (``make test-lowest``)."""

SOURCE_TREE = "source_tree"
"""Marker of a maintainer test that needs the repository (generated/, overlays/, the generator)."""
