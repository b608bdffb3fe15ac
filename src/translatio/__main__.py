"""``python -m translatio``."""

from translatio.cli import main

main()
