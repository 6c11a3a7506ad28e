"""A FastAPI service that publishes videos through one shared AsyncStudio, and its tests."""
