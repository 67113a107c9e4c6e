"""Claim kinds: one module per kind of fact (role, ...)."""
