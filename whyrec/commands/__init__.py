"""Command groups of the ``whyrec`` command line; each has ``register(subparsers)``."""
