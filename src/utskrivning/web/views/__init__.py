"""The htmx views: thin, each reads through a selector or writes through a service."""
