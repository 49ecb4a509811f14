"""The behaviour suite: APP_SPEC.md's promises, each test run against every sibling app.

Test names are the spec's behaviours. A test belongs here if every technique must
pass it; what only one technique does lives in that app's own test files, and
docs/differences.md lists every deliberate difference with its reason.
"""
