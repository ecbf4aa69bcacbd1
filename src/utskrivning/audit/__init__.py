"""The audit log: every read and write of a patient's data, append-only."""
