"""Reference YAML dumps for the emitter's differential test.

Reads JSON lines from stdin, one mapping per line, and answers each with one JSON line: the list
`[compact, safe]` of PyYAML's dumps, where `compact` is jupytext's MyST dump
(`yaml.dump(data, Dumper=CompactDumper, sort_keys=False, allow_unicode=True)`) and `safe` is
`yaml.safe_dump(data, sort_keys=False)`. A float travels as `{"__nbmyst_float__": "<bits>"}` with
the IEEE-754 bits as a decimal integer, since JSON has no NaN or infinity. The first line written
is `ready <PyYAML version>`, or `error: <why>` when PyYAML cannot be imported.
"""

import io
import json
import struct
import sys

FLOAT_KEY = "__nbmyst_float__"


def main():
    stdin = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", newline="\n")
    stdout = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="\n")
    try:
        import yaml
    except ImportError as error:
        stdout.write(f"error: cannot import yaml ({error}) with {sys.executable}\n")
        stdout.flush()
        return
    try:
        from jupytext.myst import CompactDumper
    except ImportError:
        # Same layout as jupytext's dumper: flow lists unless an item is a mapping, block mappings.
        class CompactDumper(yaml.SafeDumper):
            pass

        def flow_unless_mappings(dumper, data):
            flow = not any(isinstance(item, dict) for item in data)
            return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)

        def block_mapping(dumper, data):
            return dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=False)

        CompactDumper.add_representer(list, flow_unless_mappings)
        CompactDumper.add_representer(dict, block_mapping)

    def decode(obj):
        if len(obj) == 1 and FLOAT_KEY in obj:
            return struct.unpack("<d", struct.pack("<Q", int(obj[FLOAT_KEY])))[0]
        return obj

    stdout.write(f"ready {yaml.__version__}\n")
    stdout.flush()
    while True:
        line = stdin.readline()
        if not line:
            break
        data = json.loads(line, object_hook=decode)
        try:
            compact = yaml.dump(data, Dumper=CompactDumper, sort_keys=False, allow_unicode=True)
            safe = yaml.safe_dump(data, sort_keys=False)
            answer = [compact, safe]
        except Exception as error:  # reported to the test as a mismatch
            answer = [f"error: {error!r}"]
        stdout.write(json.dumps(answer) + "\n")
        stdout.flush()


main()
