# tests for rules
