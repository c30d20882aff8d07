"""`python -m qda`: the same command as `qda`, for environments without the script on PATH."""
from .cli import main

main()
