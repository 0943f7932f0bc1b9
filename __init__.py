"""parley: a negotiation-timeline knowledge graph."""

__version__ = "0.1.0"
