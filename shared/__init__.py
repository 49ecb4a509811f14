"""What the three apps share: the Redis store, the web skeleton, the page and its assets."""
