"""`python -m ckaquiz` runs the command line."""

from ckaquiz.cli import main

main()
