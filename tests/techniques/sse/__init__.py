"""The SSE app alone: the stream's format, resuming by Last-Event-ID, presence while a stream is open."""
