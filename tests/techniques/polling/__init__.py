"""The polling app alone: its interval and empty polls, presence kept by each poll, its terminal client."""
