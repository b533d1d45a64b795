"""Front ends: the Rich terminal UI and the plain line protocol. Both drive `session.py`."""
