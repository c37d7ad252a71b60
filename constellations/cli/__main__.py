"""``python -m constellations.cli``: the command line."""

import sys

from constellations.cli import main

if __name__ == "__main__":  # a worker process that re-imports this module runs nothing
    sys.exit(main())
