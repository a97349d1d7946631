"""Check functions for the claims in :mod:`gantheory.claims`, one module per kind of check.

Each function takes no arguments, returns a :class:`gantheory.claims.CheckResult`, and is
attached to its claim with the :func:`gantheory.claims.check` decorator. The cases each check
runs over are fixed and documented in :mod:`gantheory.cases`.
"""
