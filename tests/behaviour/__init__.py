"""The behaviour suite: docs/spec.md's promises, each test run against every sibling app, on both paths.

Test names are the spec's behaviours. A test belongs here if every technique must
pass it, on the tuned path and on the textbook one (TEXTBOOK=1): the ids say which,
`[polling-tuned]`, `[polling-textbook]`. What only one technique does lives in
tests/techniques/, and docs/differences.md lists every deliberate difference with
its reason.
"""
