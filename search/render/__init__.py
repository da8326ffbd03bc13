"""Records as text for people and as JSON or CSV for programs; pure functions
that return strings and dicts and never print."""
