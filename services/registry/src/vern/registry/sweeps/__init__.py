"""The registry's retention sweep: deletes what the org profile's rules say is due, in batches."""
