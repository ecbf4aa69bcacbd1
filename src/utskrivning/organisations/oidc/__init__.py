"""Sign-in through the region's identity provider (OpenID Connect, mozilla-django-oidc): the
provider's discovery (`provider`), the person by HSA-id (`backend`), the sessions it began and
its back-channel logout (`sessions`), the pages (`views`)."""
