"""Performance benchmarks (``make bench``): run against PostgreSQL, never as timed unit tests."""
