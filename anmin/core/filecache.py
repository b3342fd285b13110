"""The ``shared`` cache on one server without Redis: Django's file-based cache, with two costs of
its ``set`` removed. The scope cache's generations (``core.scopecache``) are written here when every
write transaction commits, so ``set`` is on the path of every write request.

* Replacing a file by renaming a new one over it makes ext4 (``auto_da_alloc``, the default) write
  the new file's data out before the rename returns: about 2 ms per key on the shared machine,
  against 0.07 ms for a rename to a name that does not exist. The old file is unlinked first; a
  reader in between finds the key missing, which every user of this cache takes as "not cached"
  (a lost generation only costs a recomputation, a lost session entry is read from the database).
* Django looks for entries to cull by listing the whole directory on every ``set``; here at most
  once every ``CULL_SECONDS`` per process, so the directory can pass ``MAX_ENTRIES`` by what is
  written in that time.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache

CULL_SECONDS = 10.0


class FileCache(FileBasedCache):
    _culled_at = float("-inf")

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._createdir()  # the directory can be removed at any time
        fname = self._key_to_file(key, version)
        now = time.monotonic()
        if now - self._culled_at >= CULL_SECONDS:
            self._cull()
            self._culled_at = now
        fd, tmp_path = tempfile.mkstemp(dir=self._dir)
        renamed = False
        try:
            with open(fd, "wb") as f:
                self._write_content(f, timeout, value)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(fname)
            os.rename(tmp_path, fname)
            renamed = True
        finally:
            if not renamed:
                os.remove(tmp_path)
