"""Synthetic landing zone: every source of the raw contract, with ground truth and dirt.

The generator lives in the `custseg.generator` package (one module per source family); this
module keeps its public names: `generate()`, `SOURCES`, `register` (the `custseg generate`
subcommand) and `V` (the vocabularies).
"""

from __future__ import annotations

from custseg.generator import vocab as V
from custseg.generator.command import register
from custseg.generator.pipeline import SOURCES, generate

__all__ = ["SOURCES", "V", "generate", "register"]
