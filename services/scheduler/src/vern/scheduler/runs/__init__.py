"""The record of every job run: when, how it went, and the counts it brought back."""
