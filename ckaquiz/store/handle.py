"""What a query needs of the store: its connection, and a transaction to write in.

`Store` (in `database`) is the one implementation. The query modules that `Store` itself calls
for its three shortcuts (`cards`, `reviews`) are typed against this protocol, so that they do
not depend on the module that depends on them.
"""

from __future__ import annotations

import sqlite3
from contextlib import AbstractContextManager
from typing import Protocol


class Handle(Protocol):
    """An open ckaquiz database."""

    connection: sqlite3.Connection

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any error."""
        ...
