"""APPSYNC_JS on a real JavaScript engine: V8, embedded through mini-racer.

A resolver's code is checked the way AppSync checks it at CreateResolver /
CreateFunction (``check``): esprima's tokenizer finds the constructs the
APPSYNC_JS runtime refuses (try/catch, throw, classes, while, do-while,
``for(;;)``, continue, async/await, generators, regex literals, ``++``/``--``/
``~``, the ``in`` operator) and V8 compiles the rest, so a syntax error is
V8's own. Each error is an AppSync ``CodeError`` (errorType, value, location).

To run, the ES module is rewritten into a factory (imports of
``@aws-appsync/utils`` and ``@aws-appsync/utils/dynamodb`` become reads of the
runtime's modules, ``export`` is dropped) with every line kept in place, and
loaded once per code into a V8 context holding appsync_runtime.js.
"""

import hashlib
import json
import os
import re
import threading
import time

import esprima
from py_mini_racer import JSEvalException, MiniRacer

RUNTIME_FILE = os.path.join(os.path.dirname(__file__), "appsync_runtime.js")
MODULES = ("@aws-appsync/utils", "@aws-appsync/utils/dynamodb")
PREFIX = "__localaws.define(%s, function (__modules) { 'use strict'; "
SUFFIX = "\n;return {request: typeof request === 'function' ? request : undefined, " \
         "response: typeof response === 'function' ? response : undefined};});"
TIMEOUT_MS = 10000
REFUSED_KEYWORDS = {
    "try": "Try statements are not supported.",
    "catch": "Try statements are not supported.",
    "finally": "Try statements are not supported.",
    "throw": "Throw statements are not supported.",
    "class": "Classes are not supported.",
    "while": "While loops are not supported.",
    "do": "Do-while loops are not supported.",
    "continue": "Continue statements are not supported.",
    "yield": "Generator functions are not supported.",
    "await": "Async functions are not supported.",
}
REFUSED_PUNCTUATORS = {
    "++": "Unary operator '++' is not supported.",
    "--": "Unary operator '--' is not supported.",
    "~": "Unary operator '~' is not supported.",
}
V8_ERROR_RE = re.compile(r"^<anonymous>:(\d+): (\w+: .*)$", re.MULTILINE)


class CodeErrors(Exception):
    """The code is refused; ``errors`` are AppSync CodeError dicts."""

    def __init__(self, errors):
        super().__init__("The code contains one or more errors.")
        self.errors = errors


def code_error(error_type, value, line=0, column=0, span=-1):
    return {"errorType": error_type, "value": value, "location": {"line": line, "column": column, "span": span}}


def _lint_error(token, message):
    start = token.loc.start
    return code_error("LINT_ERROR", message, start.line, start.column, len(token.value))


def _lint(tokens):
    """CodeErrors for the constructs APPSYNC_JS refuses, from the token stream."""
    errors = []
    for_heads = []  # paren depth of each open for(...) head
    depth = 0
    for index, token in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        value = token.value
        if _property_name(tokens, index):
            continue
        if token.type == "RegularExpression":
            errors.append(_lint_error(token, "Regex literals are not supported."))
        elif token.type in ("Keyword", "Identifier") and value in REFUSED_KEYWORDS:
            errors.append(_lint_error(token, REFUSED_KEYWORDS[value]))
        elif token.type == "Identifier" and value == "async" and following is not None \
                and following.value not in ("=", ":", ",", ")", ";", ".") \
                and following.loc.start.line == token.loc.start.line:
            errors.append(_lint_error(token, "Async functions are not supported."))
        elif token.type == "Keyword" and value == "function" and following is not None and following.value == "*":
            errors.append(_lint_error(token, "Generator functions are not supported."))
        elif token.type == "Punctuator" and value in REFUSED_PUNCTUATORS:
            errors.append(_lint_error(token, REFUSED_PUNCTUATORS[value]))
        elif token.type == "Keyword" and value == "for":
            for_heads.append(depth + 1)
        elif token.type == "Keyword" and value == "in" and not (for_heads and for_heads[-1] == depth):
            errors.append(_lint_error(token, "The in operator is not supported: use Object.hasOwn."))
        elif token.type == "Punctuator" and value == "(":
            depth += 1
        elif token.type == "Punctuator" and value == ")":
            if for_heads and for_heads[-1] == depth:
                for_heads.pop()
            depth -= 1
        elif token.type == "Punctuator" and value == ";" and for_heads and for_heads[-1] == depth:
            errors.append(_lint_error(token, "For loops are not supported: use for-of or for-in."))
            for_heads.pop()
    return errors


def _property_name(tokens, index):
    """True for a word used as a property name (``obj.class``, ``{ do: 1 }``), not a statement."""
    if tokens[index].type not in ("Keyword", "Identifier"):
        return False
    previous = tokens[index - 1].value if index else None
    following = tokens[index + 1].value if index + 1 < len(tokens) else None
    return previous in (".", "?.") or (following == ":" and previous in ("{", ","))


def _tokens(code):
    try:
        return esprima.tokenize(code, {"loc": True, "range": True})
    except esprima.Error as error:
        description = re.sub(r"^Line \d+: ", "", error.message)
        raise CodeErrors([code_error("PARSER_ERROR", "Parsing error: %s" % description,
                                     error.lineNumber or 0, error.column or 0)]) from None


def _import_statement(tokens, start, code):
    """(end offset, replacement) of the import declaration starting at tokens[start]."""
    index = start + 1
    names = None
    if tokens[index].value == "*" and tokens[index + 1].value == "as":
        names = tokens[index + 2].value
        index += 3
    elif tokens[index].value == "{":
        close = next(i for i in range(index, len(tokens)) if tokens[i].value == "}")
        specifiers = code[tokens[index].range[0]:tokens[close].range[1]]
        names = re.sub(r"\bas\b", ":", " ".join(specifiers.split()))
        index = close + 1
    if names is None or tokens[index].value != "from" or tokens[index + 1].type != "String":
        raise CodeErrors([_lint_error(tokens[start], "Only named or namespace imports are supported.")])
    module = json.loads('"%s"' % tokens[index + 1].value[1:-1])
    if module not in MODULES:
        raise CodeErrors([_lint_error(tokens[index + 1], "Cannot find module %r." % module)])
    end_token = tokens[index + 2] if index + 2 < len(tokens) and tokens[index + 2].value == ";" else tokens[index + 1]
    return end_token.range[1], "const %s = __modules[%s];" % (names, json.dumps(module))


def _rewrite(code, tokens):
    """The module as a plain script body, line for line."""
    pieces = []
    position = 0
    index = 0
    while index < len(tokens):
        token = tokens[index]
        previous = tokens[index - 1].value if index else ";"
        if token.type == "Keyword" and token.value == "import" and previous in (";", "}") \
                and index + 1 < len(tokens) and tokens[index + 1].value != "(":
            end, replacement = _import_statement(tokens, index, code)
            original = code[token.range[0]:end]
            pieces.append(code[position:token.range[0]] + replacement + "\n" * original.count("\n"))
            position = end
            while index < len(tokens) and tokens[index].range[0] < end:
                index += 1
            continue
        if token.type == "Keyword" and token.value == "export":
            following = tokens[index + 1].value if index + 1 < len(tokens) else ""
            if following not in ("function", "const", "let", "var"):
                raise CodeErrors([_lint_error(token, "Only export function/const/let/var declarations are supported.")])
            pieces.append(code[position:token.range[0]] + " " * len("export"))
            position = token.range[1]
        index += 1
    pieces.append(code[position:])
    return "".join(pieces)


def _module_source(code):
    tokens = _tokens(code)
    errors = _lint(tokens)
    if errors:
        raise CodeErrors(errors)
    return _rewrite(code, tokens)


class Engine:
    """One V8 context with the runtime loaded; calls are serialised."""

    def __init__(self):
        self.lock = threading.Lock()
        self.context = MiniRacer()
        with open(RUNTIME_FILE, encoding="utf-8") as handle:
            self.context.eval(handle.read())
        self.loaded = set()

    def load(self, code):
        """The id of the code's module in this context; CodeErrors when refused."""
        module_id = hashlib.sha256(code.encode()).hexdigest()[:24]
        with self.lock:
            if module_id in self.loaded:
                return module_id
        body = _module_source(code)
        prefix = PREFIX % json.dumps(module_id)
        with self.lock:
            try:
                self.context.eval(prefix + body + SUFFIX, timeout=TIMEOUT_MS)
            except JSEvalException as error:
                raise CodeErrors([_v8_error(str(error), len(prefix))]) from None
            self.loaded.add(module_id)
        return module_id

    def run(self, module_id, function, context, now_ms):
        envelope = json.dumps({"context": context, "now": now_ms})
        with self.lock:
            try:
                answer = self.context.eval("__localaws.run(%s, %s, %s)" % (
                    json.dumps(module_id), json.dumps(function), json.dumps(envelope)), timeout=TIMEOUT_MS)
            except JSEvalException as error:
                return {"value": None, "error": {"message": str(error).splitlines()[0], "type": "Code"},
                        "errors": [], "logs": [], "stash": context.get("stash") or {}, "earlyReturn": False,
                        "runtimeError": True}
        return json.loads(answer)


def _v8_error(message, prefix_length):
    match = V8_ERROR_RE.search(message)
    if not match:
        return code_error("PARSER_ERROR", message.splitlines()[0] if message else "SyntaxError")
    line = int(match.group(1))
    caret = message.splitlines()[2] if len(message.splitlines()) > 2 else ""
    column = max(caret.find("^"), 0)
    if line == 1:
        column = max(column - prefix_length, 0)
    return code_error("PARSER_ERROR", match.group(2), line, column)


_ENGINE = {}
_ENGINE_LOCK = threading.Lock()


def engine():
    """The process's V8 engine, made on first use."""
    with _ENGINE_LOCK:
        if "engine" not in _ENGINE:
            _ENGINE["engine"] = Engine()
        return _ENGINE["engine"]


def check(code):
    """Raise CodeErrors when AppSync would refuse the code."""
    engine().load(code)


def evaluate(code, function, context, now_ms=None):
    """Run one handler of the code with an AppSync context (dict); the runtime's answer."""
    module_id = engine().load(code)
    return engine().run(module_id, function, context, int(time.time() * 1000) if now_ms is None else now_ms)
