"""The source of a symbol, as the docs quote it: a function, a class or a constant, found by name.

A quote in docs/*.md names a file and a symbol, as Sphinx's `literalinclude
:pyobject:` does, and its text must be that symbol's source now:

    From `shared/web/routes.py`, `state`:

A Python symbol is a function, a class, `Class.method` (any depth of dots) or a
constant assigned at the top of a module or class (`NAME`); it runs from its first
decorator (a route's `@board.get(...)` says what the function serves) to its last
line. A JavaScript symbol is a `function name(` or a `const name =` at any depth,
which ends on its own line when that line ends with `;`, and otherwise at the first
later line, at the same indentation, that closes it. Either way the source is the
lines as they stand in the file, indentation kept, and it starts with the comment
lines directly above the symbol (at its indentation, no blank line between): in the
JavaScript that comment is the function's explanation, as a docstring is in Python,
and a constant's comment says why it has its value.
"""

import ast
import re

QUOTE = re.compile(
    r"^From `(?P<path>[^`]+)`, `(?P<symbol>[^`]+)`:\n\n```[\w-]*\n(?P<text>.*?)\n```", re.M | re.S
)
# A line that introduces a quote, whether or not it is in the form QUOTE reads.
QUOTE_INTRODUCTION = re.compile(r"^From `[^`]+`,.*:\n\n```", re.M)
JS_SUFFIXES = (".js", ".mjs")
JS_CLOSING = re.compile(r"[})\]]")


class SymbolNotFound(LookupError):
    """The file holds no such symbol, or more than one."""


def symbol_source(path, symbol):
    """Return the source of `symbol` in the file at `path` (a pathlib.Path), or raise SymbolNotFound."""
    text = path.read_text()
    if path.suffix in JS_SUFFIXES:
        return js_symbol_source(text, symbol)
    return python_symbol_source(text, symbol)


def python_symbol_source(text, symbol):
    """The lines of a Python function, class, method or constant, from its first decorator to its end."""
    scope = ast.parse(text)
    for name in symbol.split("."):
        scope = only_one(
            [node for node in getattr(scope, "body", []) if name in defined_names(node)], symbol, "Python"
        )
    decorators = getattr(scope, "decorator_list", [])
    first = min([scope.lineno] + [decorator.lineno for decorator in decorators]) - 1
    lines = text.splitlines()
    return "\n".join(lines[with_comment_above(lines, first, "#") : scope.end_lineno])


def defined_names(node):
    """The names a statement defines: a def's or class's own, or the targets of an assignment."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return {node.name}
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, ast.AnnAssign):
        targets = [node.target]
    else:
        return set()
    names = set()
    for target in targets:
        for part in target.elts if isinstance(target, ast.Tuple) else [target]:
            if isinstance(part, ast.Name):
                names.add(part.id)
    return names


def js_symbol_source(text, symbol):
    """The lines of a JavaScript `function symbol(` or `const symbol =`, to the line that closes it."""
    name = re.escape(symbol)
    declaration = re.compile(rf"^(?P<indent>\s*)(?:(?:async\s+)?function\s+{name}\s*\(|const\s+{name}\s*=)")
    lines = text.splitlines()
    starts = [
        (number, match["indent"]) for number, line in enumerate(lines) if (match := declaration.match(line))
    ]
    start, indent = only_one(starts, symbol, "JavaScript")
    first = with_comment_above(lines, start, "//")
    if lines[start].rstrip().endswith(";"):
        return "\n".join(lines[first : start + 1])
    for end in range(start + 1, len(lines)):
        line = lines[end]
        if line.strip() and not line.startswith(f"{indent} "):
            if not JS_CLOSING.match(line.strip()) or len(line) - len(line.lstrip()) != len(indent):
                break
            return "\n".join(lines[first : end + 1])
    raise SymbolNotFound(f"JavaScript symbol {symbol!r} has no closing line at its own indentation")


def with_comment_above(lines, start, marker):
    """The index of the first line of the comment directly above lines[start], or `start` if none."""
    indent = lines[start][: len(lines[start]) - len(lines[start].lstrip())]
    while start > 0 and lines[start - 1].startswith(f"{indent}{marker}"):
        start -= 1
    return start


def only_one(found, symbol, language):
    """The one thing found for `symbol`; SymbolNotFound when there is none, or more than one."""
    if len(found) != 1:
        raise SymbolNotFound(f"{len(found)} {language} definitions of {symbol!r}, not one")
    return found[0]
