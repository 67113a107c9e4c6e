"""factlint's modules compiled to bytecode before a benchmark times a start, as ``pip install``
does: with an editable install and ``PYTHONDONTWRITEBYTECODE`` set (as on this project's
machines), every new process would compile factlint's source again (~40 ms for the command
line, ~180 ms for the language server's modules), which no installed factlint does, while
spaCy's and pygls's bytecode is there."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "server" / "factlint"


def compile_factlint(env: Mapping[str, str]) -> None:
    """Write the package's ``.pyc`` files (Python still reads them where it may not write)."""
    compile_env = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(PACKAGE)],
                   env=compile_env, check=True, stdout=subprocess.DEVNULL)
