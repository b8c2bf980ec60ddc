# replay/: see ARCHITECTURE.md
