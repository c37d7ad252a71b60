import sys

from constellations.cli import main

sys.exit(main())
