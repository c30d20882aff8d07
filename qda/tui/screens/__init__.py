"""The TUI's screens: interviews, coding, codebook, summary, and the small dialogs."""
