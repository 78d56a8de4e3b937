"""Import every handler module so its commands, postbacks and flows register themselves."""
import importlib
import pkgutil

import handlers

for _info in sorted(pkgutil.iter_modules(handlers.__path__), key=lambda i: i.name):
    if _info.name not in ("all", "registry", "router", "flows"):
        importlib.import_module(f"handlers.{_info.name}")
