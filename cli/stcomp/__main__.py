"""``python -m stcomp``: the same as the ``stcomp`` console script."""

from .entry import main

main()
