"""``make bench``: the SDK's client-side cost per call against raw httpx and a pydantic SDK.

Run it with ``python -m bench`` (``--quick`` for a few-second smoke run). Not part of the tests.
"""
