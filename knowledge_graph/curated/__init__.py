"""Curated layers of the legal knowledge graph: charges, sentencing circumstances, causes of action.

The data files next to this module are written for judgeflow; each says where its entries come
from. `load_curated(store)` writes them into the graph after the statute import.
"""

from judgeflow.knowledge_graph.curated.loader import (
    CuratedDataError,
    CuratedLoadReport,
    ensure_curated,
    load_curated,
)

__all__ = ["CuratedDataError", "CuratedLoadReport", "ensure_curated", "load_curated"]
