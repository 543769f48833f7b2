"""Anonymous statistics (statistikk): counters written when things happen, reported to Bufdir."""
