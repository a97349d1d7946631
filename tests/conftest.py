"""Shared pytest configuration: Hypothesis profiles.

Profiles (select with ``--hypothesis-profile NAME`` or ``HYPOTHESIS_PROFILE=NAME``):

``dev``       default; fast (50 examples per property).
``ci``        deterministic (derandomized, no example database, no deadline), 200 examples.
              Hypothesis loads it by itself when the ``CI`` environment variable is set.
``thorough``  10,000 examples per property:
              ``pytest --hypothesis-profile thorough -p no:cacheprovider tests``
"""

from __future__ import annotations

import contextlib
import os
import warnings

# One BLAS thread per process, set before NumPy is first imported: the networks' matrices are
# small, and pytest-xdist already runs one worker per core, so BLAS threads would only compete
# with the other workers (a 5x slowdown of a training step was measured on a busy 2-core
# machine). The thread count changes the rounding of some matrix products, hence a training
# run's trajectory: fixing it at 1 also makes a seeded run the same on machines with different
# numbers of cores (tools/run_notebooks.py sets the same for the notebooks).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from hypothesis import HealthCheck, settings

# When a property fails, Hypothesis's pytest plugin imports its patch writer, which imports
# libcst, which emits a DeprecationWarning on import (mypy_extensions.TypedDict); under
# ``filterwarnings = error`` that turns every property failure into a pytest INTERNALERROR that
# ends the session. Import it once here, with that warning silenced, so failures stay failures.
with warnings.catch_warnings(), contextlib.suppress(ImportError):
    warnings.simplefilter("ignore", DeprecationWarning)
    import hypothesis.extra._patching  # noqa: F401

settings.register_profile("dev", max_examples=50, deadline=None)
settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "thorough",
    max_examples=10_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

if "HYPOTHESIS_PROFILE" in os.environ:
    settings.load_profile(os.environ["HYPOTHESIS_PROFILE"])
elif not os.environ.get("CI"):
    settings.load_profile("dev")
