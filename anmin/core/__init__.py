"""Foundation layer: regions, organisations, accounts and roles, scoping, registries, the UI shell."""
