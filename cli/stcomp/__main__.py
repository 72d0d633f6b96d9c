"""``python -m stcomp``: the same as the ``stcomp`` console script."""

from .cli import main

main()
