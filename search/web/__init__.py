"""The archive in a browser and as a JSON API (`search serve`): an ASGI
application made by `create_app(archive)`, to be served by any ASGI server."""

from .app import create_app

__all__ = ["create_app"]
