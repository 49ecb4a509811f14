"""The techniques, in the story's order: every app, page, doc and count is one of these.

A fifth technique adds its name here (and its folder, port, doc and test entry:
docs/spec.md, "Adding a technique").
"""

TECHNIQUES = ("polling", "long_polling", "sse", "websockets")


def label(technique):
    """Name a technique for people: long_polling -> long polling."""
    return technique.replace("_", " ")


def doc_name(technique):
    """Name the technique's doc, docs/<name>.md, served at /docs/<name>: long_polling -> long-polling."""
    return technique.replace("_", "-")
