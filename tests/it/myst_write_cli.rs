//! Writer cases checked against jupytext 1.19.6's command line
//! (`jupytext --to md:myst -o DEST nb.ipynb`, optionally with a `jupytext.toml` beside the
//! notebook): the `formats` rules, legacy keys, configuration options, the front-matter raw cell,
//! the `jupyter` namespace, the lexer, the `+++` JSON. The expected texts are jupytext's output.
//! Where the command line failed only in its sign-back step (it re-reads what it wrote), the
//! expectation is the text of jupytext's Python API; where jupytext failed outright, the case says
//! what nbmyst does instead.

use crate::myst_write_support::notebook;
use nbmyst::myst::write::{write, WriteError, WriteOptions};

/// formats_py_percent_dropped
#[test]
fn formats_py_percent_dropped() {
    let nb = notebook(
        r###"{"jupytext": {"formats": "ipynb,py:percent"}, "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}}"###,
        r###"[{"cell_type": "code", "source": "1"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
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
1
```
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// formats_root_prefix_dropped
#[test]
fn formats_root_prefix_dropped() {
    let nb = notebook(
        r###"{"jupytext": {"formats": "notebooks///ipynb,scripts///md:myst"}, "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}}"###,
        r###"[{"cell_type": "code", "source": "1"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
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
1
```
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// formats_suffix_dropped
#[test]
fn formats_suffix_dropped() {
    let nb = notebook(
        r###"{"jupytext": {"formats": "ipynb,_md.md:myst"}}"###,
        r###"[{"cell_type": "code", "source": "1"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
---

```{code-cell}
1
```
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// formats_suffix_kept
#[test]
fn formats_suffix_kept() {
    let nb = notebook(
        r###"{"jupytext": {"formats": "ipynb,_md.md:myst"}}"###,
        r###"[{"cell_type": "code", "source": "1"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb_md.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"---
jupytext:
  formats: ipynb,_md.md:myst
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
---

```{code-cell}
1
```
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// formats_dir_prefix_kept
#[test]
fn formats_dir_prefix_kept() {
    let nb = notebook(
        r###"{"jupytext": {"formats": "ipynb,md//md:myst"}}"###,
        r###"[{"cell_type": "code", "source": "1"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("md/nb.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"---
jupytext:
  formats: ipynb,md//md:myst
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
---

```{code-cell}
1
```
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// formats_dir_prefix_dropped
#[test]
fn formats_dir_prefix_dropped() {
    let nb = notebook(
        r###"{"jupytext": {"formats": "ipynb,md//md:myst"}}"###,
        r###"[{"cell_type": "code", "source": "1"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
---

```{code-cell}
1
```
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// formats_file_prefix_kept
#[test]
fn formats_file_prefix_kept() {
    let nb = notebook(
        r###"{"jupytext": {"formats": "ipynb,md/pre_/md:myst"}}"###,
        r###"[{"cell_type": "code", "source": "1"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("md/pre_nb.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"---
jupytext:
  formats: ipynb,md/pre_/md:myst
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
---

```{code-cell}
1
```
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// formats_common_names
#[test]
fn formats_common_names() {
    let nb = notebook(
        r###"{"jupytext": {"formats": "notebook,myst"}}"###,
        r###"[{"cell_type": "code", "source": "1"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"---
jupytext:
  formats: ipynb,md:myst
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
---

```{code-cell}
1
```
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// formats_dotted
#[test]
fn formats_dotted() {
    let nb = notebook(
        r###"{"jupytext": {"formats": ".ipynb,.md:myst"}}"###,
        r###"[{"cell_type": "code", "source": "1"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"---
jupytext:
  formats: ipynb,md:myst
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
---

```{code-cell}
1
```
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// formats_markdown_named
#[test]
fn formats_markdown_named() {
    let nb = notebook(
        r###"{"jupytext": {"formats": "ipynb,md:markdown"}}"###,
        r###"[{"cell_type": "code", "source": "1"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"---
jupytext:
  formats: ipynb,md:myst
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
---

```{code-cell}
1
```
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// formats_auto_from_language_info
#[test]
fn formats_auto_from_language_info() {
    let nb = notebook(
        r###"{"jupytext": {"formats": "ipynb,md:myst,auto:percent"}, "language_info": {"file_extension": ".py", "name": "python", "pygments_lexer": "ipython3"}}"###,
        r###"[{"cell_type": "code", "source": "1"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"---
jupytext:
  formats: ipynb,md:myst,py:percent
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
---

```{code-cell} ipython3
1
```
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// formats_auto_from_kernelspec
#[test]
fn formats_auto_from_kernelspec() {
    let nb = notebook(
        r###"{"jupytext": {"formats": "ipynb,md,auto:light"}, "kernelspec": {"display_name": "R", "language": "R", "name": "ir"}}"###,
        r###"[{"cell_type": "code", "source": "1"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"---
jupytext:
  formats: ipynb,md:myst,R:light
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
kernelspec:
  display_name: R
  language: R
  name: ir
---

```{code-cell}
1
```
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// formats_list
#[test]
fn formats_list() {
    let nb = notebook(
        r###"{"jupytext": {"formats": ["ipynb", "md"]}}"###,
        r###"[{"cell_type": "code", "source": "1"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"---
jupytext:
  formats: ipynb,md:myst
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
---

```{code-cell}
1
```
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// formats_empty
#[test]
fn formats_empty() {
    let nb = notebook(
        r###"{"jupytext": {"formats": ""}}"###,
        r###"[{"cell_type": "code", "source": "1"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"---
jupytext:
  formats: ''
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
---

```{code-cell}
1
```
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// legacy_keys
#[test]
fn legacy_keys() {
    let nb = notebook(
        r###"{"jupytext_formats": "ipynb,md", "main_language": "python", "encoding": "# -*- coding: utf-8 -*-", "a": 1, "jupytext": {"metadata_filter": {"notebook": {"additional": ["a"], "excluded": "all"}, "cells": {"excluded": ["b"]}}}}"###,
        r###"[{"cell_type": "code", "source": "1", "metadata": {"b": 1, "c": 2}}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"---
a: 1
---

```{code-cell}
:c: 2

1
```
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// legacy_version_zero
#[test]
fn legacy_version_zero() {
    let nb = notebook(
        r###"{"jupytext": {"formats": "ipynb,nb.py:light", "text_representation": {"jupytext_version": "0.8.6"}}}"###,
        r###"[{"cell_type": "code", "source": "1"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
---

```{code-cell}
1
```
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// legacy_format_version
#[test]
fn legacy_format_version() {
    let nb = notebook(
        r###"{"jupytext_format_version": "1.0", "jupytext": {"formats": "ipynb,md"}}"###,
        r###"[{"cell_type": "code", "source": "1"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"---
jupytext:
  formats: ipynb,md:myst
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
---

```{code-cell}
1
```
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// nbrmd_formats
#[test]
fn nbrmd_formats() {
    let nb = notebook(
        r###"{"nbrmd_formats": "ipynb,md"}"###,
        r###"[{"cell_type": "code", "source": "1"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"---
jupytext:
  formats: ipynb,md:myst
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
---

```{code-cell}
1
```
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// config_beats_notebook_filter
#[test]
fn config_beats_notebook_filter() {
    let nb = notebook(
        r###"{"jupytext": {"notebook_metadata_filter": "all"}, "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}}"###,
        r###"[{"cell_type": "code", "source": "1"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        notebook_metadata_filter: Some("-all".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"```{code-cell}
1
```
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// config_cell_filter
#[test]
fn config_cell_filter() {
    let nb = notebook(
        r###"{"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}}"###,
        r###"[{"cell_type": "code", "source": "1", "metadata": {"tags": ["a"], "k": 1}}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        cell_metadata_filter: Some("-all".to_string()),
        ..WriteOptions::default()
    };
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
1
```
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// config_root_level_filter
#[test]
fn config_root_level_filter() {
    let nb = notebook(
        r###"{"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}}"###,
        r###"[{"cell_type": "code", "source": "1"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        root_level_metadata_filter: Some("-kernelspec".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
jupyter:
  kernelspec:
    display_name: Python 3
    language: python
    name: python3
---

```{code-cell}
1
```
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// config_raw_cell_off
#[test]
fn config_raw_cell_off() {
    let nb = notebook(
        r###"{"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}}"###,
        r###"[{"cell_type": "raw", "source": "---\ntitle: T\n---"}, {"cell_type": "markdown", "source": "x"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        root_level_metadata_as_raw_cell: Some(false),
        ..WriteOptions::default()
    };
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

```{raw-cell}

---
title: T
---
```

x
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// notebook_raw_cell_off
#[test]
fn notebook_raw_cell_off() {
    let nb = notebook(
        r###"{"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}, "jupytext": {"root_level_metadata_as_raw_cell": false}}"###,
        r###"[{"cell_type": "raw", "source": "---\ntitle: T\n---"}, {"cell_type": "markdown", "source": "x"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"---
jupytext:
  root_level_metadata_as_raw_cell: false
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

```{raw-cell}

---
title: T
---
```

x
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// front_matter_null_in_metadata (jupytext: KeyError: 'orphan')
#[test]
fn front_matter_null_in_metadata() {
    let nb = notebook(
        r###"{"orphan": null}"###,
        r###"[{"cell_type": "raw", "source": "---\ntitle: T\n---"}, {"cell_type": "markdown", "source": "x"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    // jupytext fails with a KeyError; nbmyst names the key.
    match write(&nb, &opts) {
        Err(WriteError::FrontMatterNull { key }) => assert_eq!(key, "orphan"),
        other => panic!("expected a null merge error, got {other:?}"),
    }
}

/// front_matter_null_deletes
#[test]
fn front_matter_null_deletes() {
    let nb = notebook(
        r###"{"orphan": null}"###,
        r###"[{"cell_type": "raw", "source": "---\norphan: 1\ntitle: T\n---"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"---
title: T
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
  root_level_metadata_filter: -orphan,-title
---
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// front_matter_nested_null (jupytext: KeyError: 'env')
#[test]
fn front_matter_nested_null() {
    let nb = notebook(
        r###"{"kernelspec": {"display_name": "P", "env": null, "name": "p"}}"###,
        r###"[{"cell_type": "raw", "source": "---\ntitle: T\n---"}, {"cell_type": "markdown", "source": "x"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    // jupytext fails with a KeyError; nbmyst names the key.
    match write(&nb, &opts) {
        Err(WriteError::FrontMatterNull { key }) => assert_eq!(key, "kernelspec.env"),
        other => panic!("expected a null merge error, got {other:?}"),
    }
}

/// front_matter_not_a_mapping
#[test]
fn front_matter_not_a_mapping() {
    let nb = notebook(
        r###"{"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}}"###,
        r###"[{"cell_type": "raw", "source": "---\n- a\n- b\n---"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
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

```{raw-cell}

---
- a
- b
---
```
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// front_matter_invalid_yaml
#[test]
fn front_matter_invalid_yaml() {
    let nb = notebook(
        r###"{"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}}"###,
        r###"[{"cell_type": "raw", "source": "---\na: [b\n---"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
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

```{raw-cell}

---
a: [b
---
```
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// front_matter_first_document
#[test]
fn front_matter_first_document() {
    let nb = notebook(
        r###"{}"###,
        r###"[{"cell_type": "raw", "source": "---\na: 1\n---\nb: 2\n---"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"---
a: 1
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
  root_level_metadata_filter: -a
---
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// front_matter_empty_document
#[test]
fn front_matter_empty_document() {
    let nb = notebook(
        r###"{}"###,
        r###"[{"cell_type": "raw", "source": "---\n---"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
---

```{raw-cell}

---
---
```
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// front_matter_merges_mappings
#[test]
fn front_matter_merges_mappings() {
    let nb = notebook(
        r###"{"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}}"###,
        r###"[{"cell_type": "raw", "source": "---\nkernelspec:\n  name: other\ntitle: T\n---"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"---
kernelspec:
  name: other
  display_name: Python 3
  language: python
title: T
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
  root_level_metadata_filter: -kernelspec,-title
---
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// front_matter_empty_mapping
#[test]
fn front_matter_empty_mapping() {
    let nb = notebook(
        r###"{}"###,
        r###"[{"cell_type": "raw", "source": "---\n{}\n---"}, {"cell_type": "code", "source": "1"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
  root_level_metadata_filter: '-'
---

```{code-cell}
1
```
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// front_matter_with_root_filter
#[test]
fn front_matter_with_root_filter() {
    let nb = notebook(
        r###"{"jupytext": {"root_level_metadata_filter": "all"}}"###,
        r###"[{"cell_type": "raw", "source": "---\ntitle: T\n---"}, {"cell_type": "markdown", "source": "x"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"---
title: T
jupytext:
  root_level_metadata_filter: all
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
---

x
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// front_matter_blank_lines
#[test]
fn front_matter_blank_lines() {
    let nb = notebook(
        r###"{}"###,
        r###"[{"cell_type": "raw", "source": "\n\n---\ntitle: T\n---  \n\n", "metadata": {"k": 1}}, {"cell_type": "raw", "source": "r"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"---
title: T
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
  root_level_metadata_filter: -title
---

```{raw-cell}
r
```
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// front_matter_scalar_vs_empty_mapping (jupytext: CLI: 'x' (API output))
#[test]
fn front_matter_scalar_vs_empty_mapping() {
    let nb = notebook(
        r###"{"kernelspec": {}}"###,
        r###"[{"cell_type": "raw", "source": "---\nkernelspec: x\n---"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"---
kernelspec: x
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
  root_level_metadata_filter: -kernelspec
---
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// front_matter_markdown_first
#[test]
fn front_matter_markdown_first() {
    let nb = notebook(
        r###"{}"###,
        r###"[{"cell_type": "markdown", "source": "---\ntitle: T\n---"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
---

---
title: T
---
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// front_matter_second_cell
#[test]
fn front_matter_second_cell() {
    let nb = notebook(
        r###"{}"###,
        r###"[{"cell_type": "code", "source": "1"}, {"cell_type": "raw", "source": "---\ntitle: T\n---"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
---

```{code-cell}
1
```

```{raw-cell}

---
title: T
---
```
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// front_matter_date
#[test]
fn front_matter_date() {
    let nb = notebook(
        r###"{}"###,
        r###"[{"cell_type": "raw", "source": "---\ndate: 2024-01-01\nwhen: 2024-01-01 10:00:00\n---"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"---
date: 2024-01-01
when: 2024-01-01 10:00:00
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
  root_level_metadata_filter: -date,-when
---
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// front_matter_unicode_and_lists
#[test]
fn front_matter_unicode_and_lists() {
    let nb = notebook(
        r###"{}"###,
        r###"[{"cell_type": "raw", "source": "---\ntitle: \"Caf\\xE9\"\nauthors: [A, B]\nbib: |\n  line\n---"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"---
title: Café
authors: [A, B]
bib: 'line

  '
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
  root_level_metadata_filter: -title,-authors,-bib
---
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// jupyter_namespace_root_filter
#[test]
fn jupyter_namespace_root_filter() {
    let nb = notebook(
        r###"{"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}, "jupytext": {"root_level_metadata_filter": "-kernelspec"}}"###,
        r###"[{"cell_type": "code", "source": "1"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"---
jupytext:
  root_level_metadata_filter: -kernelspec
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
jupyter:
  kernelspec:
    display_name: Python 3
    language: python
    name: python3
---

```{code-cell}
1
```
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// jupyter_namespace_empty_tags
#[test]
fn jupyter_namespace_empty_tags() {
    let nb = notebook(
        r###"{"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}, "tags": [], "jupytext": {"notebook_metadata_filter": "tags"}}"###,
        r###"[{"cell_type": "code", "source": "1"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"---
jupytext:
  notebook_metadata_filter: tags
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
kernelspec:
  display_name: Python 3
  language: python
  name: python3
jupyter:
  jupytext:
    notebook_metadata_filter: tags
    text_representation:
      extension: .md
      format_name: myst
      format_version: 0.13
      jupytext_version: 1.19.6
  kernelspec:
    display_name: Python 3
    language: python
    name: python3
  tags: []
---

```{code-cell}
1
```
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// json_numbers_and_unicode
#[test]
fn json_numbers_and_unicode() {
    let nb = notebook(
        r###"{"jupytext": {"notebook_metadata_filter": "-all"}}"###,
        "[{\"cell_type\": \"markdown\", \"source\": \"m\", \"metadata\": {\"f\": 1e+20, \"g\": 0.5, \"h\": 1.0, \"i\": 12345678901234567890, \"n\": null, \"s\": \"é\u{2028}😀\u{7f}\\\"\\\\/\\t\", \"l\": [1, [2, {}]], \"t\": true}}]",
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"+++ {"f": 1e+20, "g": 0.5, "h": 1.0, "i": 12345678901234567890, "n": null, "s": "\u00e9\u2028\ud83d\ude00\u007f\"\\/\t", "l": [1, [2, {}]], "t": true}

m
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// lexer_empty_pygments_lexer_filtered
#[test]
fn lexer_empty_pygments_lexer_filtered() {
    let nb = notebook(
        r###"{"language_info": {"pygments_lexer": ""}, "jupytext": {"default_lexer": "x", "notebook_metadata_filter": "-all"}}"###,
        r###"[{"cell_type": "code", "source": "1"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"```{code-cell} x
1
```
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// lexer_empty_pygments_lexer_kept (jupytext: CLI: {'pygments_lexer': ''} (API output))
#[test]
fn lexer_empty_pygments_lexer_kept() {
    let nb = notebook(
        r###"{"language_info": {"pygments_lexer": ""}, "jupytext": {"default_lexer": "x", "notebook_metadata_filter": "all"}}"###,
        r###"[{"cell_type": "code", "source": "1"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"---
jupytext:
  notebook_metadata_filter: all
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
language_info:
  pygments_lexer: ''
---

```{code-cell}
1
```
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// lexer_from_front_matter (jupytext: CLI: {'pygments_lexer': 'fm'} (API output))
#[test]
fn lexer_from_front_matter() {
    let nb = notebook(
        r###"{}"###,
        r###"[{"cell_type": "raw", "source": "---\nlanguage_info:\n  pygments_lexer: fm\n---"}, {"cell_type": "code", "source": "1"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"---
language_info:
  pygments_lexer: fm
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
  root_level_metadata_filter: -language_info
---

```{code-cell} fm
1
```
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// lexer_language_info_wins
#[test]
fn lexer_language_info_wins() {
    let nb = notebook(
        r###"{"language_info": {"file_extension": ".py", "name": "python", "pygments_lexer": "ipython3"}, "jupytext": {"default_lexer": "python"}, "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}}"###,
        r###"[{"cell_type": "code", "source": "1"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
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
1
```
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// dotted_cell_filter_order
#[test]
fn dotted_cell_filter_order() {
    let nb = notebook(
        r###"{"jupytext": {"notebook_metadata_filter": "-all", "cell_metadata_filter": "slideshow.slide_type,tags,-all"}}"###,
        r###"[{"cell_type": "markdown", "source": "m", "metadata": {"slideshow": {"slide_type": "slide", "x": 1}, "tags": ["a"]}}, {"cell_type": "code", "source": "1", "metadata": {"slideshow": {"slide_type": "slide", "x": 1}, "tags": ["a"], "z": 1}}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"+++ {"tags": ["a"], "slideshow": {"slide_type": "slide"}}

m

```{code-cell}
---
tags: [a]
slideshow:
  slide_type: slide
---
1
```
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// trusted_dropped_under_all
#[test]
fn trusted_dropped_under_all() {
    let nb = notebook(
        r###"{"jupytext": {"notebook_metadata_filter": "-all", "cell_metadata_filter": "all"}}"###,
        r###"[{"cell_type": "code", "source": "1", "metadata": {"trusted": true, "collapsed": false}}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"```{code-cell}
:collapsed: false

1
```
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// header_sort_code_points
#[test]
fn header_sort_code_points() {
    let nb = notebook(
        r###"{"Zeta": 1, "_x": 2, "alpha": 3, "été": 4, "jupytext": {"notebook_metadata_filter": "all"}}"###,
        r###"[{"cell_type": "code", "source": "1"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"---
Zeta: 1
_x: 2
alpha: 3
jupytext:
  notebook_metadata_filter: all
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
---

```{code-cell}
1
```
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// header_unicode_values
#[test]
fn header_unicode_values() {
    let nb = notebook(
        r###"{"kernelspec": {"display_name": "Python 3 – été 😀", "language": "python", "name": "p"}}"###,
        r###"[{"cell_type": "code", "source": "1"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
kernelspec:
  display_name: Python 3 – été 😀
  language: python
  name: p
---

```{code-cell}
1
```
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// jupytext_not_a_mapping (jupytext: AttributeError: 'str' object has no attribute 'pop')
#[test]
fn jupytext_not_a_mapping() {
    let nb = notebook(
        r###"{"jupytext": "x"}"###,
        r###"[{"cell_type": "code", "source": "1"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    // jupytext fails (`AttributeError`); nbmyst leaves the odd `jupytext` value alone.
    let expected = "---\njupytext: x\n---\n\n```{code-cell}\n1\n```\n";
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// formats_invalid (jupytext: jupytext.formats.JupytextFormatError: 'foo' is not a notebook extension (one of .ipynb, .md, .markdown, .Rmd, .py, .coco, .R, .r, .jl, .cpp, .ss, .clj)
#[test]
fn formats_invalid() {
    let nb = notebook(
        r###"{"jupytext": {"formats": "ipynb,foo"}}"###,
        r###"[{"cell_type": "code", "source": "1"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    // jupytext fails (`JupytextFormatError`); nbmyst keeps `formats` as the notebook has it.
    let expected = r###"---
jupytext:
  formats: ipynb,foo
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
---

```{code-cell}
1
```
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// nested_invalid_keys_kept
#[test]
fn nested_invalid_keys_kept() {
    let nb = notebook(
        r###"{"kernelspec": {"name": "p", "display_name": "P", "bad key": 1}}"###,
        r###"[{"cell_type": "code", "source": "1"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
kernelspec:
  name: p
  display_name: P
  bad key: 1
---

```{code-cell}
1
```
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// cell_key_with_newline
#[test]
fn cell_key_with_newline() {
    let nb = notebook(
        r###"{"jupytext": {"notebook_metadata_filter": "-all"}}"###,
        r###"[{"cell_type": "code", "source": "1", "metadata": {"a\n": 1}}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"```{code-cell}
---
? 'a

  '
: 1
---
1
```
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// raw_cell_options_and_colon
#[test]
fn raw_cell_options_and_colon() {
    let nb = notebook(
        r###"{"jupytext": {"notebook_metadata_filter": "-all"}}"###,
        r###"[{"cell_type": "raw", "source": ":x", "metadata": {"format": "text/latex"}}, {"cell_type": "raw", "source": "---"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"```{raw-cell}
:format: text/latex

:x
```

```{raw-cell}

---
```
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// dates_in_collections
#[test]
fn dates_in_collections() {
    let nb = notebook(
        r###"{}"###,
        r###"[{"cell_type": "raw", "source": "---\nlist:\n- 2024-01-01\n- - 2024-02-02\nflow: [2024-03-03, a, 2024-04-04 05:06:07]\nmap: {d: 2024-05-05, e: 1}\nnested:\n  when: 2024-06-06T01:02:03.25+01:30  # comment\n  next:\n    2024-07-07\n---"}, {"cell_type": "markdown", "source": "x"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"---
list: [2024-01-01, [2024-02-02]]
flow: [2024-03-03, a, !!timestamp '2024-04-04 05:06:07']
map:
  d: 2024-05-05
  e: 1
nested:
  when: 2024-06-06 01:02:03.250000+01:30
  next: 2024-07-07
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
  root_level_metadata_filter: -list,-flow,-map,-nested
---

x
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// dates_long_flow_list
#[test]
fn dates_long_flow_list() {
    let nb = notebook(
        r###"{}"###,
        r###"[{"cell_type": "raw", "source": "---\nwhen: [2024-01-01 10:00:00, 2024-01-01 10:00:00, 2024-01-01 10:00:00, 2024-01-01 10:00:00, 2024-01-01 10:00:00]\n---"}, {"cell_type": "markdown", "source": "x"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"---
when: [!!timestamp '2024-01-01 10:00:00', !!timestamp '2024-01-01 10:00:00', !!timestamp '2024-01-01
    10:00:00', !!timestamp '2024-01-01 10:00:00', !!timestamp '2024-01-01 10:00:00']
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
  root_level_metadata_filter: -when
---

x
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// dates_with_block_scalar
#[test]
fn dates_with_block_scalar() {
    let nb = notebook(
        r###"{}"###,
        r###"[{"cell_type": "raw", "source": "---\ndate: 2024-01-01\nnotes: |\n  2024-01-01\n  date: 2024-01-01\n---"}, {"cell_type": "markdown", "source": "x"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"---
date: 2024-01-01
notes: '2024-01-01

  date: 2024-01-01

  '
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
  root_level_metadata_filter: -date,-notes
---

x
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// dates_invalid (jupytext: ValueError: day is out of range for month)
#[test]
fn dates_invalid() {
    let nb = notebook(
        r###"{}"###,
        r###"[{"cell_type": "raw", "source": "---\ndate: 2024-02-30\n---"}, {"cell_type": "markdown", "source": "x"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    // jupytext fails (PyYAML cannot build the date); nbmyst keeps the raw cell.
    let expected = r###"---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
---

```{raw-cell}

---
date: 2024-02-30
---
```

x
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// dates_as_key
#[test]
fn dates_as_key() {
    let nb = notebook(
        r###"{}"###,
        r###"[{"cell_type": "raw", "source": "---\nhistory:\n  2024-01-01: created\n---"}, {"cell_type": "markdown", "source": "x"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"---
history:
  2024-01-01: created
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
  root_level_metadata_filter: -history
---

x
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// dates_quoted
#[test]
fn dates_quoted() {
    let nb = notebook(
        r###"{}"###,
        r###"[{"cell_type": "raw", "source": "---\ndate: '2024-01-01'\nother: 2024-01-01\n---"}, {"cell_type": "markdown", "source": "x"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"---
date: '2024-01-01'
other: 2024-01-01
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
  root_level_metadata_filter: -date,-other
---

x
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}

/// dates_not_dates
#[test]
fn dates_not_dates() {
    let nb = notebook(
        r###"{}"###,
        r###"[{"cell_type": "raw", "source": "---\na: 2024-1-1\nb: 2024-01-01, 2024-01-02\n---"}, {"cell_type": "markdown", "source": "x"}]"###,
    );
    let opts = WriteOptions {
        destination: Some("nb.md".to_string()),
        ..WriteOptions::default()
    };
    let expected = r###"---
a: 2024-1-1
b: 2024-01-01, 2024-01-02
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
  root_level_metadata_filter: -a,-b
---

x
"###;
    assert_eq!(write(&nb, &opts).expect("written"), expected);
}
