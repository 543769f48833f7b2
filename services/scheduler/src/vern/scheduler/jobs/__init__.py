"""The jobs the scheduler fires, and the APScheduler that fires them."""
