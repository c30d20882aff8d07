"""`python -m qda`: the same command as `qda`, for environments without the script on PATH."""
from qda.cli import main

main()
