#!/usr/bin/env python
"""Django's command-line utility (same as the ``giamsat`` console command)."""

from giamsat.cli import main

if __name__ == "__main__":
    main()
