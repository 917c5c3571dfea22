"""The read-only JSON API under ``/api/v1/`` (Django REST framework, drf-spectacular).

One version per path: a breaking change means ``/api/v2/``; additions are listed in the
changelog. Modules: ``serializers`` (what an object looks like), ``views`` (what each
address answers), ``pagination`` (the keyset cursor), ``throttling`` (per client address),
``urls``. What every answer has in common (``API-Version``, JSON errors, the methods
allowed) is ``ApiMiddleware`` in ``meetings.middleware``; search comes from
``meetings.search``, as for the pages.
"""
