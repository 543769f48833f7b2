"""Tasks Vern hands a person: an outside system's retention, a request's or a breach's deadline."""
