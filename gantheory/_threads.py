"""One BLAS thread while gantheory trains networks and runs checks.

gantheory's matrices are small (a minibatch of a few hundred rows times a hidden layer of a few
dozen units). Between two such products a training step does elementwise NumPy work, and a BLAS
that keeps a pool of threads for the products competes with it for the cores: on a 2-core
machine a ``gantheory verify`` run of two claims took 66 s with OpenBLAS's default two threads
and 7 s with one. The thread count also changes how a product is split, hence its rounding, so
one thread everywhere makes a seed's result the same whatever the environment sets. The limit is
set with threadpoolctl around each training run and each check (never on import) and lifted when
they return.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import TypeVar

from threadpoolctl import threadpool_limits

__all__ = ["one_blas_thread"]

F = TypeVar("F", bound=Callable[..., object])
_state = threading.local()


def one_blas_thread(func: F) -> F:
    """Run ``func`` with the BLAS libraries limited to one thread (nested calls pay nothing)."""

    @functools.wraps(func)
    def wrapper(*args: object, **kwargs: object) -> object:
        if getattr(_state, "active", False):
            return func(*args, **kwargs)
        with threadpool_limits(limits=1, user_api="blas"):
            _state.active = True
            try:
                return func(*args, **kwargs)
            finally:
                _state.active = False

    return wrapper  # type: ignore[return-value]
