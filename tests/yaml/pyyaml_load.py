"""Reference YAML loads for the reader's differential test.

Reads JSON lines from stdin, each a YAML text, and answers each with one JSON line:
`{"ok": <canonical form>}` with the value of `yaml.safe_load(text)` as it would reach JSON, or
`{"error": "<exception>"}` when PyYAML refuses the text or the value has no JSON form (a date,
bytes, a list as a key). Mapping keys become the strings `json.dumps` writes for them.

The canonical form is a string: `null`, `true`, `false`, `i<digits>`, `f<IEEE-754 bits>` (`fnan`
for NaN), `s"<text>"` with every character outside printable ASCII (and `"`, `\\`) written
`\\u{<hex>}`, `[a,b]`, `{<key string>:<value>,...}` in the mapping's order. The first line written
is `ready <PyYAML version>`, or `error: <why>` when PyYAML cannot be imported.

A line may also be `{"first": <text>}`: then the value is `next(yaml.safe_load_all(text))`, the
first document of the stream as jupytext reads a front matter, and a key that is not a string
is written `n` followed by its `json.dumps` text in the canonical form, e.g. `ns"1"`.
"""

import io
import json
import math
import struct
import sys


def text(s):
    out = []
    for c in s:
        if " " <= c <= "~" and c not in '"\\':
            out.append(c)
        else:
            out.append("\\u{%x}" % ord(c))
    return 's"' + "".join(out) + '"'


def json_key(key):
    if isinstance(key, str):
        return key
    if key is True:
        return "true"
    if key is False:
        return "false"
    if key is None:
        return "null"
    if isinstance(key, int):
        return str(key)
    if isinstance(key, float):
        if math.isnan(key):
            return "NaN"
        if math.isinf(key):
            return "Infinity" if key > 0 else "-Infinity"
        return repr(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


class NonStringKey(str):
    """The `json` text of a key that was not a string."""


class Pairs(list):
    """A mapping whose keys may be `NonStringKey`s (equal to the string of the same text)."""


def model(value, mark_keys=False):
    """The value as `json.dumps` then `json.loads` would give it."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [model(v, mark_keys) for v in value]
    if isinstance(value, dict) and mark_keys:
        return Pairs(
            (NonStringKey(json_key(k)) if not isinstance(k, str) else k, model(v, mark_keys))
            for k, v in value.items()
        )
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            out[json_key(k)] = model(v)
        return out
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def canon(value):
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return f"i{value}"
    if isinstance(value, float):
        if math.isnan(value):
            return "fnan"
        return "f" + str(struct.unpack("<Q", struct.pack("<d", value))[0])
    if isinstance(value, str):
        return text(value)
    if isinstance(value, Pairs):
        return "{" + ",".join(key_text(k) + ":" + canon(v) for k, v in value) + "}"
    if isinstance(value, list):
        return "[" + ",".join(canon(v) for v in value) + "]"
    return "{" + ",".join(key_text(k) + ":" + canon(v) for k, v in value.items()) + "}"


def key_text(key):
    return ("n" if isinstance(key, NonStringKey) else "") + text(key)


def main():
    stdin = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", newline="\n")
    stdout = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="\n")
    try:
        import yaml
    except ImportError as error:
        stdout.write(f"error: cannot import yaml ({error}) with {sys.executable}\n")
        stdout.flush()
        return
    sys.setrecursionlimit(5000)
    stdout.write(f"ready {yaml.__version__}\n")
    stdout.flush()
    while True:
        line = stdin.readline()
        if not line:
            break
        source = json.loads(line)
        try:
            if isinstance(source, dict):
                answer = {"ok": canon(model(next(yaml.safe_load_all(source["first"])), True))}
            else:
                answer = {"ok": canon(model(yaml.safe_load(source)))}
        except Exception as error:  # any refusal: YAML errors, ValueError, TypeError, RecursionError
            answer = {"error": f"{type(error).__name__}: {error}"}
        stdout.write(json.dumps(answer) + "\n")
        stdout.flush()


main()
