"""`kg serve`: the store on the web (SPARQL endpoint, query page, resource pages, dashboard)."""

from .app import create_app

__all__ = ["create_app"]
