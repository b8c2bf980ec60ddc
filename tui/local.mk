# tui/: see ARCHITECTURE.md
