"""`make bench`: bounded, loopback-only benchmarks of the service as `make run` starts it."""
