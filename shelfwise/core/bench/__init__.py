"""Benchmarks behind `shelfwise bench …`: each builds a fresh database, measures one
path end to end in child processes, and prints figures (never run by the test suite
at full size)."""
