"""The package's lazy namespace: every public name resolves to what an eager import gave."""

from __future__ import annotations

import importlib
import subprocess
import sys
import types

import gantheory

MODULES = {"nn", "objectives"}


def _resolve_all() -> dict[str, object]:
    return {name: getattr(gantheory, name) for name in gantheory.__all__ if name != "__version__"}


def test_every_public_name_is_a_function_or_class_except_the_submodules() -> None:
    for name, value in _resolve_all().items():
        assert isinstance(value, types.ModuleType) == (name in MODULES), (name, value)


def test_importing_a_submodule_does_not_replace_the_function_of_its_name() -> None:
    importlib.import_module("gantheory.wasserstein")  # binds gantheory.wasserstein
    assert callable(gantheory.wasserstein) and not isinstance(gantheory.wasserstein,
                                                              types.ModuleType)
    from gantheory.wasserstein import wasserstein_critic

    assert gantheory.wasserstein_critic is wasserstein_critic


def test_in_a_fresh_process_either_order_gives_the_function() -> None:
    code = ("import gantheory as g, types;{first};"
            "assert not isinstance(g.wasserstein, types.ModuleType), g.wasserstein;"
            "assert g.wasserstein.__module__ == 'gantheory.wasserstein'")
    for first in ("g.wasserstein_critic", "import gantheory.wasserstein", "g.wasserstein"):
        subprocess.run([sys.executable, "-c", code.format(first=first)], check=True, timeout=120)


def test_import_is_lazy() -> None:
    code = "import sys, gantheory; assert 'scipy' not in sys.modules, 'scipy imported'"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
