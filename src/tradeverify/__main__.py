"""``python -m tradeverify``: the same CLI as the ``tradeverify`` command."""

from tradeverify.cli import main

main()
