"""The product knowledge graph: vocabulary, loaders, the graph object and its index."""
from kg.errors import KGError, Where
from kg.graph import KnowledgeGraph
from kg.load import load_graph
from kg.vocab import Relation, Vocabulary, default_vocabulary

__all__ = ["KGError", "KnowledgeGraph", "Relation", "Vocabulary", "Where", "default_vocabulary", "load_graph"]
