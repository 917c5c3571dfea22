"""Helpers the views share, below them: pagination, query strings (canonical queries, feed
links, filter chips), streamed exports, charts (timelines, share of voice) and the
once-per-request freshness check of the kept aggregates. Nothing here imports a view or a
templatetag module."""
