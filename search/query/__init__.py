"""What a user asks: `request.SearchRequest`, and the checks its text must
pass whatever engine runs it."""
