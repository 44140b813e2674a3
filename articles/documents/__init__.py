"""Documents (PDF and office files) that articles link to: what is accepted, checked by content."""
