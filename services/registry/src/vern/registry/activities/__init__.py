"""Activities (aktiviteter: courses, lectures, groups) and their participant lists, kept until the
activity ends."""
