"""The editor's text field: the one field, laid over what it edits (an item, the title, a
search)."""
