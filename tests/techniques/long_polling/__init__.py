"""The long polling app alone: held requests, their timeouts, cursors and conflated totals, its client."""
