"""The first Ctrl-C of this process, remembered: set by the handler that ``entry`` installs
before anything is imported, read just before any service starts (a library may swallow the
KeyboardInterrupt itself)."""

from __future__ import annotations

import threading

interrupted = threading.Event()
