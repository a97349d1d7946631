"""``python -m gantheory`` runs the command line (see :mod:`gantheory.cli`)."""

import sys

from gantheory.cli import main

if __name__ == "__main__":
    sys.exit(main())
