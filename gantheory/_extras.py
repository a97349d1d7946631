"""The optional extras: which package each one brings, and whether it is installed.

A check that needs an extra (the trained DCGAN needs scikit-learn's digits and referee) names
it; without the extra the check is not run, and reports say which extra runs it, instead of
failing on an import.
"""

from __future__ import annotations

import importlib.util

__all__ = ["EXTRAS", "extra_available", "install_hint", "missing_extras"]

#: Each optional extra of gantheory and the module whose presence stands for it.
EXTRAS: dict[str, str] = {"images": "sklearn"}


def extra_available(name: str) -> bool:
    """Whether the extra ``name`` is installed (its module can be found, not imported)."""
    if name not in EXTRAS:
        raise ValueError(f"`name` must be one of {sorted(EXTRAS)} (got {name!r})")
    return importlib.util.find_spec(EXTRAS[name]) is not None


def missing_extras(names: tuple[str, ...]) -> tuple[str, ...]:
    """The extras among ``names`` that are not installed, in the order given."""
    return tuple(n for n in names if not extra_available(n))


def install_hint(names: tuple[str, ...]) -> str:
    """The pip command that installs the extras ``names``."""
    return f'pip install "gantheory[{",".join(names)}]"'
