"""``python -m roundtable_app`` and the ``roundtable-app`` command."""

from __future__ import annotations

import sys


def main() -> int:
    from roundtable_app.cli import main as cli_main

    return cli_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
