"""The views, one module per URL area: ``meetings`` (the list and its exports),
``transcript`` (a meeting, one turn, citations), ``bilingual`` (side by side), ``people``,
``countries``, ``search``, ``feeds`` and ``site`` (robots.txt, language switch, healthz,
the 500 handler). ``meetings/urls.py`` routes to them; what they share lives below them in
``meetings/web/`` and ``meetings/search.py``, and nothing imports through a view."""
