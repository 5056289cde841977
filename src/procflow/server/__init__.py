"""The procflow HTTP service: a stateless FastAPI application (``procflow[server]``).

Build it with :func:`create_app`; ``procflow serve`` runs it with uvicorn.
"""

from procflow.server.app import create_app

__all__ = ["create_app"]
