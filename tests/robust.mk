# tests for robust
