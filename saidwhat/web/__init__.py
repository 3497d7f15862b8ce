"""The saidwhat web app: search, article highlighting, people, quotes, paste, JSON API."""
from .app import create_app
from .server import ServerThread, serve

__all__ = ["create_app", "serve", "ServerThread"]
