//! Every writer example of `spec/myst-format.md` and `spec/hard-cases.md`, the expected text
//! pasted from the spec (jupytext 1.19.6's output). Generated from the spec files; the input
//! cells and notebook metadata are the spec's JSON (`header suppressed` = the notebook's
//! `jupytext.notebook_metadata_filter` set to `-all`).

use crate::myst_write_support::{notebook, write_default};
use nbmyst::myst::write::{write, WriteError, WriteOptions};

/// Section 2.1 When it is written, and `text_representation` (`header.insert_jupytext_info_and_filter_metadata`)
#[test]
fn spec_2_1() {
    let nb = notebook(
        r###"{}"###,
        r###"[{"cell_type": "code", "source": "1+1"}]"###,
    );
    let expected = r###"---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
---

```{code-cell}
1+1
```
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 2.1 When it is written, and `text_representation` (`header.insert_jupytext_info_and_filter_metadata`)
#[test]
fn spec_2_1_2() {
    let nb = notebook(
        r###"{"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}, "language_info": {"name": "python", "pygments_lexer": "ipython3", "version": "3.11.7"}}"###,
        r###"[{"cell_type": "code", "source": "1+1"}]"###,
    );
    let expected = r###"---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

```{code-cell} ipython3
1+1
```
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 2.1 When it is written, and `text_representation` (`header.insert_jupytext_info_and_filter_metadata`)
#[test]
fn spec_2_1_3() {
    let nb = notebook(
        r###"{"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}, "language_info": {"name": "python", "pygments_lexer": "ipython3"}, "jupytext": {"notebook_metadata_filter": "-all"}}"###,
        r###"[{"cell_type": "markdown", "source": "# Title"}, {"cell_type": "code", "source": "1+1"}]"###,
    );
    let expected = r###"# Title

```{code-cell} ipython3
1+1
```
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 2.2 Which keys, in which order (`jupytext.py` `filter_notebook`, `metadata_filter.filter_metadata`)
#[test]
fn spec_2_2() {
    let nb = notebook(
        r###"{"jupytext": {"cell_metadata_filter": "-all", "formats": "ipynb,md"}, "kernel_info": {"name": "python3"}, "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}, "orphan": true, "title": "T", "toc": {"base_numbering": 1}, "tocdepth": 2, "widgets": {"state": {}}}"###,
        r###"[]"###,
    );
    let expected = r###"---
jupytext:
  cell_metadata_filter: -all
  formats: ipynb,md:myst
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
kernel_info:
  name: python3
kernelspec:
  display_name: Python 3
  language: python
  name: python3
orphan: true
tocdepth: 2
---
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 2.2 Which keys, in which order (`jupytext.py` `filter_notebook`, `metadata_filter.filter_metadata`)
#[test]
fn spec_2_2_2() {
    let nb = notebook(
        r###"{"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}, "jupytext": {"text_representation": {"format_version": "9"}, "formats": "ipynb,md:myst", "main_language": "python"}, "orphan": true}"###,
        r###"[{"cell_type": "code", "source": "1", "metadata": {"z": 1, "a": 2}}]"###,
    );
    let expected = r###"---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
  formats: ipynb,md:myst
  main_language: python
kernelspec:
  name: python3
  language: python
  display_name: Python 3
orphan: true
---

```{code-cell}
:z: 1
:a: 2

1
```
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 2.2 Which keys, in which order (`jupytext.py` `filter_notebook`, `metadata_filter.filter_metadata`)
#[test]
fn spec_2_2_3() {
    let nb = notebook(
        r###"{"authors": [{"affiliation": "B", "name": "A"}], "jupytext": {"notebook_metadata_filter": "all"}, "title": "A very long title that goes on and on and on and on and on and on and on and on", "widgets": {"state": {}}}"###,
        r###"[]"###,
    );
    let expected = r###"---
authors:
- affiliation: B
  name: A
jupytext:
  notebook_metadata_filter: all
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
title: A very long title that goes on and on and on and on and on and on and on and
  on
widgets:
  state: {}
---
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 2.4 A first raw cell holding YAML becomes part of the header (`header.metadata_and_cell_to_metadata`)
#[test]
fn spec_2_4() {
    let nb = notebook(
        r###"{"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}}"###,
        r###"[{"cell_type": "raw", "source": "---\ntitle: Hello\nauthor: Me\n---"}, {"cell_type": "markdown", "source": "Text"}]"###,
    );
    let expected = r###"---
title: Hello
author: Me
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
  root_level_metadata_filter: -title,-author
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

Text
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 3. Markdown cells (`myst.notebook_to_myst`)
#[test]
fn spec_3() {
    let nb = notebook(
        r###"{"jupytext": {"notebook_metadata_filter": "-all"}}"###,
        r###"[{"cell_type": "markdown", "source": "# A"}, {"cell_type": "markdown", "source": "B"}, {"cell_type": "code", "source": "x"}, {"cell_type": "markdown", "source": "C"}]"###,
    );
    let expected = r###"# A

+++

B

```{code-cell}
x
```

C
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 3. Markdown cells (`myst.notebook_to_myst`)
#[test]
fn spec_3_2() {
    let nb = notebook(
        r###"{"jupytext": {"notebook_metadata_filter": "-all"}}"###,
        r###"[{"cell_type": "markdown", "source": "A", "metadata": {"slideshow": {"slide_type": "slide"}, "tags": ["x"]}}, {"cell_type": "code", "source": "x"}, {"cell_type": "markdown", "source": "B", "metadata": {"k": "é"}}, {"cell_type": "markdown", "source": "C", "metadata": {"tags": []}}, {"cell_type": "markdown", "source": "D", "metadata": {"collapsed": true}}]"###,
    );
    let expected = r###"+++ {"slideshow": {"slide_type": "slide"}, "tags": ["x"]}

A

```{code-cell}
x
```

+++ {"k": "\u00e9"}

B

+++

C

+++

D
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 3. Markdown cells (`myst.notebook_to_myst`)
#[test]
fn spec_3_3() {
    let nb = notebook(
        r###"{"jupytext": {"notebook_metadata_filter": "-all"}}"###,
        r###"[{"cell_type": "markdown", "source": "A\n\n\n"}, {"cell_type": "markdown", "source": "B\n"}, {"cell_type": "markdown", "source": ""}, {"cell_type": "markdown", "source": "C  "}]"###,
    );
    let expected = r###"A



+++

B

+++



+++

C
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 4.2 Layout
#[test]
fn spec_4_2() {
    let nb = notebook(
        r###"{"language_info": {"name": "python", "pygments_lexer": "ipython3"}, "jupytext": {"notebook_metadata_filter": "-all"}}"###,
        r###"[{"cell_type": "code", "source": "print(1)"}, {"cell_type": "code", "source": "print(2)\n"}, {"cell_type": "code", "source": "x\n\n"}, {"cell_type": "code", "source": ""}, {"cell_type": "code", "source": "   "}]"###,
    );
    let expected = r###"```{code-cell} ipython3
print(1)
```

```{code-cell} ipython3
print(2)
```

```{code-cell} ipython3
x

```

```{code-cell} ipython3

```

```{code-cell} ipython3
   
```
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 4.2 Layout
#[test]
fn spec_4_2_2() {
    let nb = notebook(
        r###"{"jupytext": {"notebook_metadata_filter": "-all"}}"###,
        r###"[{"cell_type": "code", "source": "---\nx"}, {"cell_type": "code", "source": ":x"}, {"cell_type": "code", "source": " :x"}, {"cell_type": "raw", "source": ":::{note}\nhi\n:::"}]"###,
    );
    let expected = r###"```{code-cell}

---
x
```

```{code-cell}

:x
```

```{code-cell}
 :x
```

```{raw-cell}

:::{note}
hi
:::
```
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 4.2 Layout
#[test]
fn spec_4_2_3() {
    let nb = notebook(
        r###"{"language_info": {"name": "python", "pygments_lexer": "ipython3"}, "jupytext": {"notebook_metadata_filter": "-all"}}"###,
        r###"[{"cell_type": "code", "source": "%%bash\necho hi"}, {"cell_type": "code", "source": "!ls\n%matplotlib inline\nx = %env HOME"}]"###,
    );
    let expected = r###"```{code-cell} ipython3
%%bash
echo hi
```

```{code-cell} ipython3
!ls
%matplotlib inline
x = %env HOME
```
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 4.3 Fence length (`cell_to_text.three_backticks_or_more`)
#[test]
fn spec_4_3() {
    let nb = notebook(
        r###"{"jupytext": {"notebook_metadata_filter": "-all"}}"###,
        r###"[{"cell_type": "code", "source": "```\nx\n```"}, {"cell_type": "code", "source": "````python\n`````\n```"}, {"cell_type": "code", "source": "  ```\nx"}, {"cell_type": "code", "source": "~~~\nx"}]"###,
    );
    let expected = r###"````{code-cell}
```
x
```
````

``````{code-cell}
````python
`````
```
``````

```{code-cell}
  ```
x
```

```{code-cell}
~~~
x
```
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 4.4 The options block (`myst.dump_yaml_blocks` with `compact=True`)
#[test]
fn spec_4_4() {
    let nb = notebook(
        r###"{"jupytext": {"notebook_metadata_filter": "-all"}}"###,
        r###"[{"cell_type": "code", "source": "x", "metadata": {"other": true, "tags": ["hide-input"]}}, {"cell_type": "code", "source": "y", "metadata": {"a": {"b": 1}, "tags": ["t"]}}, {"cell_type": "code", "source": "z", "metadata": {"_private": 1}}, {"cell_type": "code", "source": "w", "metadata": {"title": "A long title A long title A long title A long title A long title A long title A long title "}}]"###,
    );
    let expected = r###"```{code-cell}
:other: true
:tags: [hide-input]

x
```

```{code-cell}
---
a:
  b: 1
tags: [t]
---
y
```

```{code-cell}
---
_private: 1
---
z
```

```{code-cell}
---
title: 'A long title A long title A long title A long title A long title A long title
  A long title '
---
w
```
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 4.5 Which cell metadata are written (`metadata_filter.filter_metadata` with the cell default)
#[test]
fn spec_4_5() {
    let nb = notebook(
        r###"{"jupytext": {"notebook_metadata_filter": "-all"}}"###,
        r###"[{"cell_type": "code", "source": "x", "metadata": {"ExecuteTime": {"end_time": "t"}, "autoscroll": false, "collapsed": true, "execution": {"iopub.status.idle": "t"}, "keep": 1, "lines_to_next_cell": 2, "my key": 1, "scrolled": "auto", "tags": [], "trusted": true}}]"###,
    );
    let expected = r###"```{code-cell}
:keep: 1

x
```
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 5. Raw cells
#[test]
fn spec_5() {
    let nb = notebook(
        r###"{"language_info": {"name": "python", "pygments_lexer": "ipython3"}, "jupytext": {"notebook_metadata_filter": "-all"}}"###,
        r###"[{"cell_type": "raw", "source": "raw"}, {"cell_type": "raw", "source": "<b>x</b>", "metadata": {"format": "text/html"}}, {"cell_type": "raw", "source": ""}]"###,
    );
    let expected = r###"```{raw-cell}
raw
```

```{raw-cell}
:format: text/html

<b>x</b>
```

```{raw-cell}

```
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 6. Blank lines between cells and the end of the file (`myst.notebook_to_myst`)
#[test]
fn spec_6() {
    let nb = notebook(
        r###"{"jupytext": {"notebook_metadata_filter": "-all"}}"###,
        r###"[{"cell_type": "code", "source": "1"}, {"cell_type": "markdown", "source": "end  \n\n\n"}]"###,
    );
    let expected = r###"```{code-cell}
1
```

end
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 6. Blank lines between cells and the end of the file (`myst.notebook_to_myst`)
#[test]
fn spec_6_2() {
    let nb = notebook(
        r###"{"jupytext": {"notebook_metadata_filter": "-all"}}"###,
        r###"[{"cell_type": "markdown", "source": ""}]"###,
    );
    let expected = r###"
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 6. Blank lines between cells and the end of the file (`myst.notebook_to_myst`)
/// jupytext raises `AssertionError`
#[test]
fn spec_6_3() {
    let nb = notebook(
        r###"{"jupytext": {"notebook_metadata_filter": "-all"}}"###,
        r###"[]"###,
    );
    // jupytext fails (an internal assertion); nbmyst writes the empty text.
    assert_eq!(write_default(&nb), "");
}

/// Section 9.8 Flow sequences
#[test]
fn spec_9_8() {
    let nb = notebook(
        r###"{"jupytext": {"notebook_metadata_filter": "-all"}}"###,
        r###"[{"cell_type": "code", "source": "x", "metadata": {"dq": "tab\tword word word word word word word word word word word word word word word word end", "flowsplit": ["a,b", "a:b", "a: b", "a#b", "a #b", "?a", "a?", "-a", "- a", "[x]", "x]", "{", "a b"], "folded": "word word word word word word word word word word word word word word word word word end", "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk": 1, "lists": [[{"a": 1}], {"b": 1}, [[1]]], "multi": "line one\nline two\n\nline four", "nested": {"b": [{"x": 1, "y": [1, 2]}], "c": {"d": null}}, "quoted": "it's 'quoted'", "tags": ["t00-long-tag-name", "t01-long-tag-name", "t02-long-tag-name", "t03-long-tag-name", "t04-long-tag-name", "t05-long-tag-name", "t06-long-tag-name", "t07-long-tag-name"]}}]"###,
    );
    let expected = r###"```{code-cell}
---
dq: "tab\tword word word word word word word word word word word word word word word\
  \ word end"
flowsplit: ['a,b', 'a:b', 'a: b', a#b, 'a #b', '?a', 'a?', -a, '- a', '[x]', 'x]',
  '{', a b]
folded: word word word word word word word word word word word word word word word
  word word end
? kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk
: 1
lists:
- - a: 1
- b: 1
- [[1]]
multi: 'line one

  line two


  line four'
nested:
  b:
  - x: 1
    y: [1, 2]
  c:
    d: null
quoted: it's 'quoted'
tags: [t00-long-tag-name, t01-long-tag-name, t02-long-tag-name, t03-long-tag-name,
  t04-long-tag-name, t05-long-tag-name, t06-long-tag-name, t07-long-tag-name]
---
x
```
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 1. Backticks inside a code cell lengthen the fence (§4.3)
#[test]
fn hard_1() {
    let nb = notebook(
        r###"{"jupytext": {"notebook_metadata_filter": "-all"}}"###,
        r###"[{"cell_type": "code", "source": "s = '''\n```python\nx\n```\n'''"}, {"cell_type": "code", "source": "`````\n``````"}]"###,
    );
    let expected = r###"````{code-cell}
s = '''
```python
x
```
'''
````

```````{code-cell}
`````
``````
```````
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 2. An indented fence inside code is not counted, and breaks the cell on reading (§4.3, §10.2)
#[test]
fn hard_2() {
    let nb = notebook(
        r###"{"jupytext": {"notebook_metadata_filter": "-all"}}"###,
        r###"[{"cell_type": "code", "source": "doc = '''\n  ```\n  x\n  ```\n'''"}]"###,
    );
    let expected = r###"```{code-cell}
doc = '''
  ```
  x
  ```
'''
```
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 3. `+++` (or `+ + +`) inside a markdown cell splits it on reading (§10.4)
#[test]
fn hard_3() {
    let nb = notebook(
        r###"{"jupytext": {"notebook_metadata_filter": "-all"}}"###,
        r###"[{"cell_type": "markdown", "source": "Intro\n+++\nOutro"}, {"cell_type": "markdown", "source": "+ + +"}]"###,
    );
    let expected = r###"Intro
+++
Outro

+++

+ + +
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 4. A `{code-cell}` fence inside a markdown cell becomes a code cell on reading (§3, §10.4)
#[test]
fn hard_4() {
    let nb = notebook(
        r###"{"jupytext": {"notebook_metadata_filter": "-all"}}"###,
        r###"[{"cell_type": "markdown", "source": "Example:\n\n```{code-cell} python\nprint(1)\n```"}]"###,
    );
    let expected = r###"Example:

```{code-cell} python
print(1)
```
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 5. Empty markdown cells are written as a blank line and vanish on reading (§3, §10.4)
#[test]
fn hard_5() {
    let nb = notebook(
        r###"{"jupytext": {"notebook_metadata_filter": "-all"}}"###,
        r###"[{"cell_type": "markdown", "source": "a"}, {"cell_type": "markdown", "source": ""}, {"cell_type": "markdown", "source": "b"}]"###,
    );
    let expected = r###"a

+++



+++

b
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 6. Markdown sources with and without final newlines (§3, §10.4)
#[test]
fn hard_6() {
    let nb = notebook(
        r###"{"jupytext": {"notebook_metadata_filter": "-all"}}"###,
        r###"[{"cell_type": "markdown", "source": "no newline"}, {"cell_type": "markdown", "source": "two newlines\n\n"}, {"cell_type": "code", "source": "x"}]"###,
    );
    let expected = r###"no newline

+++

two newlines


```{code-cell}
x
```
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 7. Trailing newlines of code cells: one is lost, two with options (§4.2, §10.5)
#[test]
fn hard_7() {
    let nb = notebook(
        r###"{"jupytext": {"notebook_metadata_filter": "-all"}}"###,
        r###"[{"cell_type": "code", "source": "x\n"}, {"cell_type": "code", "source": "y\n\n"}, {"cell_type": "code", "source": "z\n\n", "metadata": {"tags": ["t"]}}]"###,
    );
    let expected = r###"```{code-cell}
x
```

```{code-cell}
y

```

```{code-cell}
:tags: [t]

z

```
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 8. Leading blank lines of code cells (§10.5)
#[test]
fn hard_8() {
    let nb = notebook(
        r###"{"jupytext": {"notebook_metadata_filter": "-all"}}"###,
        r###"[{"cell_type": "code", "source": "\nx"}, {"cell_type": "code", "source": "\n\ny"}, {"cell_type": "code", "source": "\nz", "metadata": {"tags": ["t"]}}]"###,
    );
    let expected = r###"```{code-cell}

x
```

```{code-cell}


y
```

```{code-cell}
:tags: [t]


z
```
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 9. Whitespace-only and empty code cells (§4.2, §10.5)
#[test]
fn hard_9() {
    let nb = notebook(
        r###"{"jupytext": {"notebook_metadata_filter": "-all"}}"###,
        r###"[{"cell_type": "code", "source": "   "}, {"cell_type": "code", "source": "\n"}, {"cell_type": "code", "source": ""}]"###,
    );
    let expected = r###"```{code-cell}
   
```

```{code-cell}

```

```{code-cell}

```
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 10. Code starting with `---` or `:` gets a protective empty line; indented `:` does not (§4.2, §10.5)
#[test]
fn hard_10() {
    let nb = notebook(
        r###"{"jupytext": {"notebook_metadata_filter": "-all"}}"###,
        r###"[{"cell_type": "code", "source": "---\ntitle: not options\n---\nx"}, {"cell_type": "code", "source": ":param x: doc"}, {"cell_type": "code", "source": "  :param x: doc"}]"###,
    );
    let expected = r###"```{code-cell}

---
title: not options
---
x
```

```{code-cell}

:param x: doc
```

```{code-cell}
  :param x: doc
```
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 14a. An unclosed fence in a markdown cell swallows the next code cell (§10.2)
#[test]
fn hard_14a() {
    let nb = notebook(
        r###"{"jupytext": {"notebook_metadata_filter": "-all"}}"###,
        r###"[{"cell_type": "markdown", "source": "Example:\n```python\nprint(0)"}, {"cell_type": "code", "source": "x = 1"}, {"cell_type": "markdown", "source": "End"}]"###,
    );
    let expected = r###"Example:
```python
print(0)

```{code-cell}
x = 1
```

End
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 15. CRLF and lone CR are written raw and read back as LF (§7, §10.4)
#[test]
fn hard_15() {
    let nb = notebook(
        r###"{"jupytext": {"notebook_metadata_filter": "-all"}}"###,
        r###"[{"cell_type": "markdown", "source": "a\r\nb\r\n"}, {"cell_type": "code", "source": "x = 1\r\ny = 2\r\n"}, {"cell_type": "markdown", "source": "lone\rcr"}]"###,
    );
    let expected = "a\r\nb\r\n\n```{code-cell}\nx = 1\r\ny = 2\r\n```\n\nlone\rcr\n";
    assert_eq!(write_default(&nb), expected);
}

/// Section 16. A form feed in a code cell shifts every later markdown cell on reading (§10.4)
#[test]
fn hard_16() {
    let nb = notebook(
        r###"{"jupytext": {"notebook_metadata_filter": "-all"}}"###,
        r###"[{"cell_type": "code", "source": "a = 1\fb = 2"}, {"cell_type": "markdown", "source": "after"}]"###,
    );
    let expected = "```{code-cell}\na = 1\u{c}b = 2\n```\n\nafter\n";
    assert_eq!(write_default(&nb), expected);
}

/// Section 17. The same with `\u2028` (LINE SEPARATOR) in markdown (§10.4)
#[test]
fn hard_17() {
    let nb = notebook(
        r###"{"jupytext": {"notebook_metadata_filter": "-all"}}"###,
        "[{\"cell_type\": \"markdown\", \"source\": \"a\u{2028}b\"}, {\"cell_type\": \"code\", \"source\": \"1\"}, {\"cell_type\": \"markdown\", \"source\": \"d\"}]",
    );
    let expected = "a\u{2028}b\n\n```{code-cell}\n1\n```\n\nd\n";
    assert_eq!(write_default(&nb), expected);
}

/// Section 18. With a YAML header, a form feed anywhere makes the file unreadable (§10.1)
#[test]
fn hard_18() {
    let nb = notebook(
        r###"{}"###,
        r###"[{"cell_type": "code", "source": "a = 1\fb = 2"}, {"cell_type": "markdown", "source": "after"}]"###,
    );
    let expected = "---\njupytext:\n  text_representation:\n    extension: .md\n    format_name: myst\n    format_version: 0.13\n    jupytext_version: 1.19.6\n---\n\n```{code-cell}\na = 1\u{c}b = 2\n```\n\nafter\n";
    assert_eq!(write_default(&nb), expected);
}

/// Section 19. Tabs are kept everywhere, except that a tab after `:key:` is a YAML error (§10.5)
#[test]
fn hard_19() {
    let nb = notebook(
        r###"{"jupytext": {"notebook_metadata_filter": "-all"}}"###,
        r###"[{"cell_type": "code", "source": "\tif x:\n\t\tpass"}, {"cell_type": "markdown", "source": "\tindented text"}]"###,
    );
    let expected = "```{code-cell}\n\tif x:\n\t\tpass\n```\n\n\tindented text\n";
    assert_eq!(write_default(&nb), expected);
}

/// Section 20. The last cell loses trailing Python whitespace, including NBSP (§6)
#[test]
fn hard_20() {
    let nb = notebook(
        r###"{"jupytext": {"notebook_metadata_filter": "-all"}}"###,
        r###"[{"cell_type": "markdown", "source": "a"}, {"cell_type": "markdown", "source": "last  \t\n\n"}]"###,
    );
    let expected = r###"a

+++

last
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 21. Strings PyYAML quotes, and strings it does not (§9.3, §9.4)
#[test]
fn hard_21() {
    let nb = notebook(
        r###"{"jupytext": {"notebook_metadata_filter": "-all"}}"###,
        r###"[{"cell_type": "code", "source": "x", "metadata": {"a": "yes", "b": "1.0", "c": "null", "d": "", "e": "a: b", "f": "#x", "g": "2024-01-01", "h": "0o17", "i": "1e3"}}]"###,
    );
    let expected = r###"```{code-cell}
:a: 'yes'
:b: '1.0'
:c: 'null'
:d: ''
:e: 'a: b'
:f: '#x'
:g: '2024-01-01'
:h: 0o17
:i: 1e3

x
```
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 22. Keys decide between `:key:` lines and a `---` block (§4.4)
#[test]
fn hard_22() {
    let nb = notebook(
        r###"{"jupytext": {"notebook_metadata_filter": "-all"}}"###,
        r###"[{"cell_type": "code", "source": "x", "metadata": {"yes": 1}}, {"cell_type": "code", "source": "y", "metadata": {"_a": 1}}, {"cell_type": "code", "source": "z", "metadata": {"2d": 1}}, {"cell_type": "code", "source": "w", "metadata": {"A": 4, "a-b": 1, "a.b": 2, "a/b": 3}}]"###,
    );
    let expected = r###"```{code-cell}
---
'yes': 1
---
x
```

```{code-cell}
---
_a: 1
---
y
```

```{code-cell}
---
2d: 1
---
z
```

```{code-cell}
:A: 4
:a-b: 1
:a.b: 2
:a/b: 3

w
```
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 23. Long strings fold at column 80 and force the block form (§9.5)
#[test]
fn hard_23() {
    let nb = notebook(
        r###"{"jupytext": {"notebook_metadata_filter": "-all"}}"###,
        r###"[{"cell_type": "code", "source": "x", "metadata": {"caption": "This caption is long enough that PyYAML has to fold it over two lines at the eightieth column"}}]"###,
    );
    let expected = r###"```{code-cell}
---
caption: This caption is long enough that PyYAML has to fold it over two lines at
  the eightieth column
---
x
```
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 24. Long flow lists wrap with a two-space continuation (§9.8)
#[test]
fn hard_24() {
    let nb = notebook(
        r###"{"jupytext": {"notebook_metadata_filter": "-all"}}"###,
        r###"[{"cell_type": "code", "source": "x", "metadata": {"tags": ["remove-input", "remove-output", "hide-cell", "full-width", "margin", "skip-execution", "raises-exception"]}}]"###,
    );
    let expected = r###"```{code-cell}
---
tags: [remove-input, remove-output, hide-cell, full-width, margin, skip-execution,
  raises-exception]
---
x
```
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 25. Multi-line strings: single quotes with blank lines, or double quotes on one line (§9.4, §9.6)
#[test]
fn hard_25() {
    let nb = notebook(
        r###"{"jupytext": {"notebook_metadata_filter": "-all"}}"###,
        r###"[{"cell_type": "code", "source": "x", "metadata": {"note": "line 1\nline 2"}}, {"cell_type": "code", "source": "y", "metadata": {"note": "trailing space \nnext"}}]"###,
    );
    let expected = r###"```{code-cell}
---
note: 'line 1

  line 2'
---
x
```

```{code-cell}
:note: "trailing space \nnext"

y
```
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 26. Unicode: raw in YAML (except astral characters in double quotes), escaped in `+++` JSON (§3, §9.7)
#[test]
fn hard_26() {
    let nb = notebook(
        r###"{"jupytext": {"notebook_metadata_filter": "-all"}}"###,
        r###"[{"cell_type": "code", "source": "x", "metadata": {"emoji_tab": "😀\t", "tab": "a\tb", "title": "Café ☕ 😀"}}, {"cell_type": "markdown", "source": "m", "metadata": {"title": "Café ☕ 😀"}}]"###,
    );
    let expected = r###"```{code-cell}
:emoji_tab: "\U0001F600\t"
:tab: "a\tb"
:title: Café ☕ 😀

x
```

+++ {"title": "Caf\u00e9 \u2615 \ud83d\ude00"}

m
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 27. Booleans, null, numbers, empty containers, nested mappings (§9.2)
#[test]
fn hard_27() {
    let nb = notebook(
        r###"{"jupytext": {"notebook_metadata_filter": "-all"}}"###,
        r###"[{"cell_type": "code", "source": "x", "metadata": {"b": true, "big": 1e+20, "d": {"k": "v"}, "e": {}, "el": [], "f": 1.5, "i": 10, "l": [1, "two", null], "n": null, "small": 1e-07}}]"###,
    );
    let expected = r###"```{code-cell}
---
b: true
big: 1.0e+20
d:
  k: v
e: {}
el: []
f: 1.5
i: 10
l: [1, two, null]
n: null
small: 1.0e-07
---
x
```
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 28. Empty `tags` are dropped by default, kept with an `all` filter (§8.3)
#[test]
fn hard_28() {
    let nb = notebook(
        r###"{"jupytext": {"notebook_metadata_filter": "-all"}}"###,
        r###"[{"cell_type": "code", "source": "x", "metadata": {"tags": []}}, {"cell_type": "markdown", "source": "m", "metadata": {"tags": []}}]"###,
    );
    let expected = r###"```{code-cell}
x
```

m
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 28. Empty `tags` are dropped by default, kept with an `all` filter (§8.3)
#[test]
fn hard_28_2() {
    let nb = notebook(
        r###"{"jupytext": {"cell_metadata_filter": "all", "notebook_metadata_filter": "-all"}}"###,
        r###"[{"cell_type": "code", "source": "x", "metadata": {"tags": []}}]"###,
    );
    let expected = r###"```{code-cell}
:tags: []

x
```
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 29. Invalid metadata keys are dropped silently from the text (§2.2, §4.5)
#[test]
fn hard_29() {
    let nb = notebook(
        r###"{"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}, "my title": "x"}"###,
        r###"[{"cell_type": "code", "source": "x", "metadata": {"my key": 1, "ok": 2}}]"###,
    );
    let expected = r###"---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

```{code-cell}
:ok: 2

x
```
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 30. Cell metadata `jupyter` (a mapping) forces the block form (§4.4)
#[test]
fn hard_30() {
    let nb = notebook(
        r###"{"jupytext": {"notebook_metadata_filter": "-all"}}"###,
        r###"[{"cell_type": "code", "source": "x", "metadata": {"jupyter": {"source_hidden": true}, "tags": ["a"]}}]"###,
    );
    let expected = r###"```{code-cell}
---
jupyter:
  source_hidden: true
tags: [a]
---
x
```
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 33. A notebook without metadata still gets a header (§2.1)
#[test]
fn hard_33() {
    let nb = notebook(
        r###"{}"###,
        r###"[{"cell_type": "markdown", "source": "Hello"}]"###,
    );
    let expected = r###"---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
---

Hello
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 34. A notebook with metadata and no cells is the header alone (§2.3)
#[test]
fn hard_34() {
    let nb = notebook(
        r###"{"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}, "language_info": {"name": "python", "pygments_lexer": "ipython3"}}"###,
        r###"[]"###,
    );
    let expected = r###"---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 35. No header and no cells: jupytext fails (§6)
/// jupytext raises `AssertionError`
#[test]
fn hard_35() {
    let nb = notebook(
        r###"{"jupytext": {"notebook_metadata_filter": "-all"}}"###,
        r###"[]"###,
    );
    // jupytext fails (an internal assertion); nbmyst writes the empty text.
    assert_eq!(write_default(&nb), "");
}

/// Section 36. The lexer comes from `language_info.pygments_lexer` or `jupytext.default_lexer`, never from the kernelspec (§4.1)
#[test]
fn hard_36() {
    let nb = notebook(
        r###"{"kernelspec": {"display_name": "R", "language": "R", "name": "ir"}, "language_info": {"codemirror_mode": "r", "name": "R", "pygments_lexer": "r"}, "jupytext": {"notebook_metadata_filter": "-all"}}"###,
        r###"[{"cell_type": "code", "source": "x <- 1"}]"###,
    );
    let expected = r###"```{code-cell} r
x <- 1
```
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 36. The lexer comes from `language_info.pygments_lexer` or `jupytext.default_lexer`, never from the kernelspec (§4.1)
#[test]
fn hard_36_2() {
    let nb = notebook(
        r###"{"kernelspec": {"display_name": "Julia 1.9.0", "language": "julia", "name": "julia-1.9"}, "language_info": {"name": "julia", "version": "1.9.0"}, "jupytext": {"notebook_metadata_filter": "-all"}}"###,
        r###"[{"cell_type": "code", "source": "println(1)"}]"###,
    );
    let expected = r###"```{code-cell}
println(1)
```
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 36. The lexer comes from `language_info.pygments_lexer` or `jupytext.default_lexer`, never from the kernelspec (§4.1)
#[test]
fn hard_36_3() {
    let nb = notebook(
        r###"{"jupytext": {"default_lexer": "ipython3", "notebook_metadata_filter": "-all"}}"###,
        r###"[{"cell_type": "code", "source": "x"}]"###,
    );
    let expected = r###"```{code-cell} ipython3
x
```
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 37. Magics are written verbatim (§4.2)
#[test]
fn hard_37() {
    let nb = notebook(
        r###"{"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}, "language_info": {"name": "python", "pygments_lexer": "ipython3"}, "jupytext": {"notebook_metadata_filter": "-all"}}"###,
        r###"[{"cell_type": "code", "source": "%%bash\necho hi"}, {"cell_type": "code", "source": "%matplotlib inline\n!pip install x\ny = !ls"}]"###,
    );
    let expected = r###"```{code-cell} ipython3
%%bash
echo hi
```

```{code-cell} ipython3
%matplotlib inline
!pip install x
y = !ls
```
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 38. A first raw cell with YAML is merged into the header, with a `root_level_metadata_filter` (§2.4, §10.6)
#[test]
fn hard_38() {
    let nb = notebook(
        r###"{"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}}"###,
        r###"[{"cell_type": "raw", "source": "---\ntitle: T\ndate: 2024-01-01\n---"}, {"cell_type": "markdown", "source": "x"}]"###,
    );
    let expected = r###"---
title: T
date: 2024-01-01
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
  root_level_metadata_filter: -title,-date
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

x
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 39. ... and crashes jupytext when it collides with a mapping (§2.4)
/// jupytext raises `AttributeError: 'str' object has no attribute 'setdefault'`
#[test]
fn hard_39() {
    let nb = notebook(
        r###"{"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}}"###,
        r###"[{"cell_type": "raw", "source": "---\nkernelspec: python3\n---"}, {"cell_type": "markdown", "source": "x"}]"###,
    );
    // jupytext fails; nbmyst reports the conflicting key.
    match write(&nb, &WriteOptions::default()) {
        Err(WriteError::FrontMatterConflict { key }) => assert_eq!(key, "kernelspec"),
        other => panic!("expected a front-matter conflict, got {other:?}"),
    }
}

/// Section 40. A markdown first cell that looks like front matter becomes notebook metadata (§10.3)
#[test]
fn hard_40() {
    let nb = notebook(
        r###"{"jupytext": {"notebook_metadata_filter": "-all"}}"###,
        r###"[{"cell_type": "markdown", "source": "---\ntitle: My doc\n---\n\nText"}]"###,
    );
    let expected = r###"---
title: My doc
---

Text
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 41. A `null` in the header cannot be read back (§10.6)
#[test]
fn hard_41() {
    let nb = notebook(
        r###"{"orphan": null}"###,
        r###"[{"cell_type": "code", "source": "1"}]"###,
    );
    let expected = r###"---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
orphan: null
---

```{code-cell}
1
```
"###;
    assert_eq!(write_default(&nb), expected);
}

/// Section 43. Nested key order follows the file; only the top level is sorted (§2.2)
#[test]
fn hard_43() {
    let nb = notebook(
        r###"{"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}, "jupytext": {"text_representation": {"format_version": "9"}, "formats": "ipynb,md:myst", "main_language": "python"}, "orphan": true}"###,
        r###"[{"cell_type": "code", "source": "1", "metadata": {"z": 1, "a": 2}}]"###,
    );
    let expected = r###"---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
  formats: ipynb,md:myst
  main_language: python
kernelspec:
  name: python3
  language: python
  display_name: Python 3
orphan: true
---

```{code-cell}
:z: 1
:a: 2

1
```
"###;
    assert_eq!(write_default(&nb), expected);
}
