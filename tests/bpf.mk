# tests for the live BPF driver (root only; skipped otherwise)
