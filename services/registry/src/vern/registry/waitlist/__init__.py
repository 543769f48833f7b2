"""The waiting list (venteliste): new users waiting for a counsellor, deleted 30 days after one is
assigned."""
