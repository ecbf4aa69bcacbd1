"""The payment tests take the shared cast (`service.api_cast`)."""

from service.api_cast import *  # noqa: F403
