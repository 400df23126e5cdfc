"""forum_plugin's benchmark suite: ``python -m benchmarks [--database-url URL]``."""
