"""``make bench``: this SDK's client-side cost against raw httpx and a pydantic-typed httpx call.

Run it with ``python -m bench`` (``--quick`` for a smoke run of every table); ``bench/run.py`` is
the front, ``docs/performance.md`` says how to read it. Tests run it only for correctness.
"""
