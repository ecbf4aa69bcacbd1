"""The API's infrastructure in one place: who calls (API keys, sessions), idempotent retries,
upload limits and the error contract. The apps' routers use it; it imports no app's API or UI."""
