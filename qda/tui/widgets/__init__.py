"""The TUI's own widgets: the transcript (virtual, line by line) and the passage panel."""
