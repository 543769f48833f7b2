"""Which fields of a client record the centre's org profile turns on, for forms to show."""
