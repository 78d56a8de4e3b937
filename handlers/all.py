"""Import every handler module so its commands register themselves."""
from handlers import groups, help, registration, reporting, scores  # noqa: F401
