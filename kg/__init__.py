"""Legal-timeline knowledge graph: French legal news in, RDF timeline out."""

__version__ = "0.1.0"
