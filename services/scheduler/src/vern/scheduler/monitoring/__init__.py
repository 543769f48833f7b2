"""Whether this replica fires the jobs, and Prometheus metrics of runs, deletions and tasks."""
