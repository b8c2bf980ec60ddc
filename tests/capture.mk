# tests for capture
