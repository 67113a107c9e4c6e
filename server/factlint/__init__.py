"""factlint: flag draft sentences that contradict a corpus of source articles."""

from factlint import spacy_cli_stub as _spacy_cli_stub

__version__ = "0.1.0"

_spacy_cli_stub.install()  # spaCy's CLI (typer, weasel, httpx) is not imported at start-up
