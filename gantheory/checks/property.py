"""Property checks of the claims in :mod:`gantheory.claims`."""

from __future__ import annotations
