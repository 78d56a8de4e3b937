"""Import every handler module so its commands register themselves."""
from handlers import groups, help, registration, scores  # noqa: F401
