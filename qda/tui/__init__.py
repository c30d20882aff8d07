"""The terminal UI (`qda tui`): review machine suggestions and code passages with single keys."""
