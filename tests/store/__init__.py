"""The store and its listener against a real Redis-protocol server, on both paths.

Each test runs with a tuned store and a textbook one (`make_store(tuned=False)`): what
the tunings save in Redis commands is counted in tests/crowds/, not here.
"""
