"""The board's contract: what every app, page and client agree on, with no Redis and no web in it.

techniques.py (the four techniques, in the story's order), events.py (events and
cursors), validation.py (city names and client ids), eventstream.py (the
text/event-stream format, written by sse/ and read by its clients), settings.py
(every setting, from the environment), backoff.py (retry delays with jitter).
docs/spec.md says the same contract in prose.
"""
