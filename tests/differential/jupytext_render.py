#!/usr/bin/env python3
"""Render notebooks with the reference tools, one process for many notebooks.

Used by the differential conformance test (tests/it/differential.rs), which compares nbmyst's
writers with jupytext 1.19.6 and nbformat on generated notebooks.

    jupytext_render.py [--to FORMATS]

FORMATS is a comma-separated list of targets, in the order the answers are wanted
(default: md:myst):

    md:myst  jupytext.writes(nb, fmt="md:myst"), nb read the way jupytext reads an .ipynb
             file (jupytext.read on a file object with fmt="ipynb": nbformat.read without
             version conversion, then legacy jupytext metadata rearranged, as the command
             line does; jupytext.reads(text, fmt="ipynb") would skip that rearranging).
             The writing is jupytext's Python API: no configuration file, `formats` kept (the
             CLI may drop it, see spec/myst-format.md section 1.2).
    ipynb    nbformat.writes(nbformat.reads(text, as_version=4)): the text nbformat produces,
             without the final newline that file writers append.
    cli:md:myst
             the line is the path of a notebook file (a JSON string): jupytext's command line
             `jupytext --to md:myst -o NAME.md NAME.ipynb` run in the file's folder, so that the
             jupytext configuration found from there applies; the answer is the file it wrote,
             line endings untouched.

Protocol (UTF-8, one JSON value per line):
- first, before reading anything, one handshake line:
  {"versions": {"python": ..., "jupytext": ..., "nbformat": ..., "yaml": ...}}
  or {"fatal": message} (then the script exits with status 2) when a module is missing;
- then for every line read on stdin (a notebook as JSON text), one line per target, in the order
  of FORMATS: {"ok": text} or {"err": "ExceptionType: message"}. Output is flushed after each
  notebook, so a caller may send one notebook and wait for its answers.

Warnings and log messages of the tools are silenced: they would only clutter the test output.
"""

import argparse
import io
import json
import logging
import sys
import warnings


def handshake(out):
    try:
        import jupytext
        import nbformat
        import yaml
    except Exception as exc:  # report any import failure, not only ImportError
        out.write(json.dumps({"fatal": f"cannot import the reference tools: {type(exc).__name__}: {exc}"}) + "\n")
        out.flush()
        sys.exit(2)
    versions = {
        "python": sys.version.split()[0],
        "jupytext": jupytext.__version__,
        "nbformat": nbformat.__version__,
        "yaml": yaml.__version__,
    }
    out.write(json.dumps({"versions": versions}) + "\n")
    out.flush()


def render_myst(text):
    import jupytext

    nb = jupytext.read(io.StringIO(text), fmt="ipynb")
    return jupytext.writes(nb, fmt="md:myst")


def render_ipynb(text):
    import nbformat

    nb = nbformat.reads(text, as_version=4)
    return nbformat.writes(nb)


def render_cli_myst(line):
    import contextlib
    import os

    from jupytext.cli import jupytext as command_line

    folder, name = os.path.split(json.loads(line))
    output = os.path.splitext(name)[0] + ".md"
    previous = os.getcwd()
    os.chdir(folder)
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            try:
                status = command_line(["--to", "md:myst", "-o", output, name])
            except SystemExit as exit:
                status = exit.code
        if status:
            raise RuntimeError(f"jupytext exited with status {status}")
        with open(output, encoding="utf-8", newline="") as written:
            return written.read()
    finally:
        os.chdir(previous)


RENDERERS = {"md:myst": render_myst, "ipynb": render_ipynb, "cli:md:myst": render_cli_myst}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--to", default="md:myst", help="comma-separated targets: md:myst, ipynb")
    args = parser.parse_args()
    targets = [t.strip() for t in args.to.split(",") if t.strip()]
    unknown = [t for t in targets if t not in RENDERERS]
    out = sys.stdout
    if unknown:
        out.write(json.dumps({"fatal": f"unknown target(s) {', '.join(unknown)}; known: {', '.join(RENDERERS)}"}) + "\n")
        out.flush()
        sys.exit(2)

    warnings.simplefilter("ignore")
    logging.disable(logging.CRITICAL)
    handshake(out)

    # Read bytes: a text-mode stdin would split lines at a lone CR as well.
    stdin = sys.stdin.buffer
    while True:
        raw = stdin.readline()
        if not raw:
            break
        if not raw.strip():
            continue
        text = raw.decode("utf-8").rstrip("\n")
        for target in targets:
            try:
                answer = {"ok": RENDERERS[target](text)}
            except Exception as exc:  # every failure of the tools is an answer, not a crash
                answer = {"err": f"{type(exc).__name__}: {exc}"}
            out.write(json.dumps(answer) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
