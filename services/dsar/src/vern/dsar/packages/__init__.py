"""The access package (innsyn): its content, and its readable page in Norwegian."""
