"""The service's small cast (`service.conftest`): a region, a ward, its nurse, Falun's officer."""

from service.conftest import (  # noqa: F401
    case_officer_falun,
    fast_password_hasher,
    region,
    ward,
    ward_nurse,
)
