//! The first raw cell's YAML front matter, merged into the header (spec `myst-format.md` §2.4):
//! jupytext reads it with `next(yaml.safe_load_all(source))`, so only the first document of the
//! cell counts, with PyYAML's rules for where that document ends and for what its scanner reads
//! past it; keys that are not strings stay numbers, booleans and null. Each expected text is
//! jupytext 1.19.6's output for the notebook (`jupytext.writes(nb, fmt="md:myst")`).

use crate::myst_write_support::{notebook, write_default};

/// (what the case shows, the raw cell's source, the notebook metadata, jupytext's text)
const CASES: &[(&str, &str, &str, &str)] = &[
    (
        "non-string keys of the front matter stay numbers, booleans and null",
        "---\non:\n---",
        r###"{"jupytext": {"root_level_metadata_filter": ""}}"###,
        r###"---
true: null
jupytext:
  root_level_metadata_filter: ''
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
---
"###,
    ),
    (
        "non-string keys nested in the front matter",
        "---\na:\n  1: x\n  1.5: y\n  true: z\n  ~: n\n  .nan: q\n  -.inf: i\n  0x10: h\n  100000000000000000000: b\n  '1': s\n---",
        r###"{}"###,
        r###"---
a:
  1: z
  1.5: y
  null: n
  .nan: q
  -.inf: i
  16: h
  100000000000000000000: b
  '1': s
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
  root_level_metadata_filter: -a
---
"###,
    ),
    (
        "a string key and a number key of the same text are two keys",
        "---\n'1': a\n1: b\nyes: c\n---",
        r###"{"jupytext": {"root_level_metadata_filter": "-all"}}"###,
        r###"---
'1': a
1: c
jupyter:
  jupytext:
    root_level_metadata_filter: -all
    text_representation:
      extension: .md
      format_name: myst
      format_version: 0.13
      jupytext_version: 1.19.6
---
"###,
    ),
    (
        "the first document ends at a less indented line",
        "---\n e:\ns\n---",
        r###"{}"###,
        r###"---
e: null
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
  root_level_metadata_filter: -e
---
"###,
    ),
    (
        "the first document ends after a flow mapping",
        "---\n{a: 1} junk\nb: 2\n---",
        r###"{}"###,
        r###"---
a: 1
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
  root_level_metadata_filter: -a
---
"###,
    ),
    (
        "the first document ends at a directive",
        "---\na: 1\n%foo bar\n---",
        r###"{}"###,
        r###"---
a: 1
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
  root_level_metadata_filter: -a
---
"###,
    ),
    (
        "the first document ends at an explicit end",
        "---\na: 1\n...\nb: [\n---",
        r###"{}"###,
        r###"---
a: 1
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
  root_level_metadata_filter: -a
---
"###,
    ),
    (
        "blank lines before the opening marker",
        "  \n---\na: 1\n---",
        r###"{}"###,
        r###"---
a: 1
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
  root_level_metadata_filter: -a
---
"###,
    ),
    (
        "a key settles what is read after the document",
        "---\n a: 1\ntab:\tvalue\n---",
        r###"{}"###,
        r###"---
a: 1
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
  root_level_metadata_filter: -a
---
"###,
    ),
    (
        "a plain scalar ends the reading at its line end",
        "---\n a: 1\nx\n\t@\n---",
        r###"{}"###,
        r###"---
a: 1
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
  root_level_metadata_filter: -a
---
"###,
    ),
    (
        "an unterminated quoted scalar after the document",
        "---\n a: 1\n\"x\n---",
        r###"{}"###,
        r###"---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
---

```{raw-cell}

---
 a: 1
"x
---
```
"###,
    ),
    (
        "a tab where the next token starts",
        "---\n a: 1\n\tx\n---",
        r###"{}"###,
        r###"---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
---

```{raw-cell}

---
 a: 1
	x
---
```
"###,
    ),
    (
        "a bad directive after the document",
        "---\na: 1\n%YAML 2\n---",
        r###"{}"###,
        r###"---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
---

```{raw-cell}

---
a: 1
%YAML 2
---
```
"###,
    ),
    (
        "a bad block scalar header after the document",
        "---\n a: 1\n|x\n---",
        r###"{}"###,
        r###"---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
---

```{raw-cell}

---
 a: 1
|x
---
```
"###,
    ),
    (
        "a less indented line after a document at column 0 is an error",
        "---\na: 1\n- x\n---",
        r###"{}"###,
        r###"---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
---

```{raw-cell}

---
a: 1
- x
---
```
"###,
    ),
    (
        "a tab after the opening marker",
        "---\t\na: 1\n---",
        r###"{}"###,
        r###"---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
---

```{raw-cell}

---	
a: 1
---
```
"###,
    ),
    (
        "a block scalar header at the key's indentation",
        "---\na:\n|\n  text\nb: 1\n---",
        r###"{}"###,
        r###"---
a: 'text

  '
b: 1
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
  root_level_metadata_filter: -a,-b
---
"###,
    ),
];

#[test]
fn front_matter_is_the_first_yaml_document() {
    let mut failures = Vec::new();
    for (what, source, metadata, expected) in CASES {
        let cell = serde_json::json!([{"cell_type": "raw", "source": source}]).to_string();
        let ours = write_default(&notebook(metadata, &cell));
        if ours != *expected {
            failures.push(format!(
                "{what} ({source:?}):\n--- jupytext\n{expected}--- nbmyst\n{ours}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
