"""factlint: flag draft sentences that contradict a corpus of source articles."""

__version__ = "0.1.0"
