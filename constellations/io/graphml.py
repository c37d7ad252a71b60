"""The laser mesh as GraphML, through networkx's writer."""

from orbital.links import LinkGraph


def write_graphml(graph: LinkGraph, path) -> None:
    """The mesh as GraphML (networkx's writer), atomically."""
    import networkx as nx

    from constellations.io.atomic import atomic_path

    with atomic_path(path) as tmp:
        nx.write_graphml(graph.to_networkx(), tmp)
