"""``python -m iptcore``: the command line (see :mod:`iptcore.cli`)."""

from __future__ import annotations

import sys

from iptcore.cli import main

if __name__ == "__main__":
    sys.exit(main())
