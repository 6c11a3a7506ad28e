"""Code run against the package generated from tests/spec_variants/studios.yaml, not against
generated/: tests/test_spec_growth.py generates it into a temporary folder and runs these in
a fresh interpreter with it first on sys.path. Excluded from `make typecheck` (its names exist
only in the variant); mypy --strict checks ``studios_user`` against the variant instead."""
