"""The network of ``/network/``: people as nodes sized by their meetings, an edge for
meetings two people took part in together, from the kept views of migration
0015_map_network_counts; a deterministic layout (networkx's spring layout with a fixed
seed, nodes and edges added in a fixed order), so the same URL draws the same picture.

Only the top ``limit`` people are drawn ("more" raises the limit): a thousand nodes would
be a hairball, not an answer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy  # noqa: F401  (loaded with the worker, not on the first request that draws)
from django.db import connection

from meetings.geomap import Filters, where_clause

LIMITS = (25, 50, 100)
SEED = 18
WIDTH, HEIGHT, MARGIN = 1000, 700, 60
MIN_RADIUS, MAX_RADIUS = 6.0, 28.0
WIDTH_CLASSES = 4  # net__edge--w1..w4


@dataclass
class Node:
    pk: int
    meetings: int
    x: float = 0.0
    y: float = 0.0
    r: float = MIN_RADIUS
    degree: int = 0
    # Filled in by the view for the page: the person, the name drawn, the link re-centring on them.
    person: Any = None
    label: str = ""
    centre_url: str = ""


@dataclass
class Edge:
    a: int
    b: int
    meetings: int
    width: int = 1  # 1..WIDTH_CLASSES
    # The two nodes, filled in by the view for the page.
    left: Node | None = None
    right: Node | None = None


def top_people(filters: Filters, limit: int) -> list[tuple[int, int]]:
    """(person id, meetings) for the ``limit`` people with most meetings in the filters:
    anyone, the people at meetings with ``filters.country``, or the people who met
    ``filters.person`` (the person first)."""
    where, params = where_clause(filters)
    with connection.cursor() as cursor:
        if filters.person is not None:
            cursor.execute(
                "SELECT CASE WHEN a_id = %s THEN b_id ELSE a_id END, sum(meetings)::int"
                f" FROM meetings_netedge WHERE (a_id = %s OR b_id = %s) AND {where}"
                " GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT %s",
                [filters.person, filters.person, filters.person, *params, limit - 1],
            )
            others = cursor.fetchall()
            cursor.execute(
                f"SELECT sum(meetings)::int FROM meetings_netnode"
                f" WHERE participant_id = %s AND {where}",
                [filters.person, *params],
            )
            own = cursor.fetchone()[0] or 0
            return [(filters.person, own), *others] if own or others else []
        if filters.country:
            cursor.execute(
                "SELECT participant_id, sum(meetings)::int FROM meetings_mapperson"
                f" WHERE country_id = %s AND {where} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT %s",
                [filters.country, *params, limit],
            )
        else:
            cursor.execute(
                "SELECT participant_id, sum(meetings)::int FROM meetings_netnode"
                f" WHERE {where} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT %s",
                [*params, limit],
            )
        return cursor.fetchall()


def edges_among(ids: list[int], filters: Filters) -> list[tuple[int, int, int]]:
    """(a, b, meetings together) for every pair of ``ids`` that met in the filters."""
    if len(ids) < 2:
        return []
    where, params = where_clause(filters)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a_id, b_id, sum(meetings)::int FROM meetings_netedge"
            f" WHERE a_id = ANY(%s) AND b_id = ANY(%s) AND {where} GROUP BY 1, 2 ORDER BY 1, 2",
            [ids, ids, *params],
        )
        return cursor.fetchall()


def layout(nodes: list[Node], edges: list[Edge]) -> None:
    """Place the nodes (in place) in the drawing's box: the same input, the same picture."""
    if not nodes:
        return
    graph = nx.Graph()
    graph.add_nodes_from(sorted(n.pk for n in nodes))
    for edge in sorted(edges, key=lambda e: (e.a, e.b)):
        graph.add_edge(edge.a, edge.b, weight=math.log1p(edge.meetings))
    if len(nodes) == 1:
        positions = {nodes[0].pk: (0.0, 0.0)}
    else:
        positions = nx.spring_layout(
            graph, seed=SEED, weight="weight", k=2.2 / math.sqrt(len(nodes)), iterations=100
        )
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    for node in nodes:
        x, y = positions[node.pk]
        node.x = round(MARGIN + (x - min(xs)) / span_x * (WIDTH - 2 * MARGIN), 1)
        node.y = round(MARGIN + (y - min(ys)) / span_y * (HEIGHT - 2 * MARGIN), 1)


def build(filters: Filters, limit: int) -> tuple[list[Node], list[Edge]]:
    """The drawn network: nodes sized by meetings, edges classed by meetings together."""
    nodes = [Node(pk, meetings) for pk, meetings in top_people(filters, limit)]
    edges = [Edge(a, b, n) for a, b, n in edges_among([n.pk for n in nodes], filters)]
    top = max((n.meetings for n in nodes), default=1) or 1
    for node in nodes:
        node.r = round(MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * math.sqrt(node.meetings / top), 1)
    strongest = max((e.meetings for e in edges), default=1)
    by_pk = {n.pk: n for n in nodes}
    for edge in edges:
        edge.width = 1 + min(
            WIDTH_CLASSES - 1,
            int((WIDTH_CLASSES - 1) * math.log1p(edge.meetings) / math.log1p(strongest) + 0.5)
            if strongest > 1
            else 0,
        )
        by_pk[edge.a].degree += 1
        by_pk[edge.b].degree += 1
    layout(nodes, edges)
    return nodes, edges
