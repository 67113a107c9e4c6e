"""Small memo files in the cache folder (the rules' summary, factlint's code digest): what
proves a file unchanged without reading it, and writing a memo whole or not at all."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def stat_row(path: Path) -> list[Any]:
    """What a memo keeps of a file to know it unchanged: size, modification and change times
    (a change time cannot be set back, as ``cp -p`` or ``touch`` set a modification time),
    inode. Raises OSError for a file that cannot be stat'ed."""
    st = os.stat(path)
    return [str(path), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def write_memo_file(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in its folder, so a reader sees
    the old memo or the new one, never half; a cache that cannot be written is no error
    (the memo is only missing next time)."""
    import tempfile  # here: only a run that had to work the memo out writes it

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".tmp", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
