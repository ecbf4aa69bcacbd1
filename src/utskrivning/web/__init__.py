"""The server-rendered user interface (htmx)."""
