"""Verbalizing chains into sentences, and checking every claim against the graph."""
