# query/: see ARCHITECTURE.md
