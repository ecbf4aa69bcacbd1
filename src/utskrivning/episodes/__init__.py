"""The discharge process: episodes and their events."""
