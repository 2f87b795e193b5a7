"""`python -m wijkinzicht` equals the `wijkinzicht` console script."""

from wijkinzicht.cli import main

main()
