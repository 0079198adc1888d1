"""``python -m plangen``: the command line, for where the ``plangen`` script is not on PATH."""

from .cli import main

main(prog_name="plangen")
