# rules/: see ARCHITECTURE.md
