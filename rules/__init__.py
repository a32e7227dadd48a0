"""The bundled rules (TOML files, no code): shipped inside the package as `cleaner._rules`
(pyproject.toml maps this folder there), found with importlib.resources."""
