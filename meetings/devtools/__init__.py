"""Developer tools, not used by the site: run them as management commands
(``manage.py benchmark_web``; ``benchmark_import`` and ``audit_people`` run the importer's
own tools)."""
