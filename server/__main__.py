"""`python -m server [serve ...]`: with no arguments, serve with the defaults."""

import sys

from server.cli import main

raise SystemExit(main(sys.argv[1:] or ["serve"]))
