# tests for replay
