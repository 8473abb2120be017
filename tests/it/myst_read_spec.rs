//! Every reader example of `spec/myst-format.md` §10 and `spec/hard-cases.md`: the MyST text
//! and the notebook jupytext 1.19.6 reads from it (or the fact that it refuses it). The
//! examples were produced by the real tools (with the format given, `md:myst`, as a paired file
//! is read); they are pasted here unchanged.

use nbmyst::myst::read::{read_with, ReadError, ReadOptions};
use nbmyst::notebook::json::{parse, to_python_json_compact};
use nbmyst::notebook::{Json, Map, Notebook};

/// The cells in the spec's notation: `cell_type`, `source`, and `metadata` when not empty.
fn cells_json(nb: &Notebook) -> Json {
    Json::Array(
        nb.cells
            .iter()
            .map(|cell| {
                let mut map = Map::new();
                map.insert(
                    "cell_type".to_string(),
                    Json::Str(cell.cell_type.as_str().to_string()),
                );
                map.insert("source".to_string(), Json::Str(cell.source.clone()));
                if !cell.metadata.is_empty() {
                    map.insert("metadata".to_string(), Json::Object(cell.metadata.clone()));
                }
                Json::Object(map)
            })
            .collect(),
    )
}

fn canonical(value: &Json) -> String {
    to_python_json_compact(value, false, true)
}

/// Read as `md:myst`.
fn read(text: &str) -> Result<Notebook, ReadError> {
    let opts = ReadOptions {
        assume_myst: true,
        ..ReadOptions::default()
    };
    read_with(text, &opts).map(|read| read.notebook)
}

/// `text` reads as `cells` (and, when given, the notebook metadata `metadata`).
#[track_caller]
fn reads_as(text: &str, cells: &str, metadata: Option<&str>) {
    let nb = match read(text) {
        Ok(nb) => nb,
        Err(e) => panic!("read failed: {e}\ntext: {text:?}"),
    };
    let want = parse(cells).expect("expected cells are JSON");
    assert_eq!(
        canonical(&cells_json(&nb)),
        canonical(&want),
        "cells of {text:?}"
    );
    if let Some(metadata) = metadata {
        let want = parse(metadata).expect("expected metadata is JSON");
        assert_eq!(
            canonical(&Json::Object(nb.metadata.clone())),
            canonical(&want),
            "metadata of {text:?}"
        );
    }
    assert_eq!((nb.nbformat, nb.nbformat_minor), (4, 5));
    assert!(nb.cells.iter().all(|c| c.id.is_none()));
}

/// jupytext refuses `text` (with the error named in the spec); so do we.
#[track_caller]
fn refused(text: &str, jupytext_error: &str) {
    let result: Result<Notebook, ReadError> = read(text);
    assert!(
        result.is_err(),
        "jupytext raises {jupytext_error}, we read {text:?}"
    );
}

/// 10.4 Cells
#[test]
fn spec_10_4() {
    reads_as(
        "---\nkernelspec:\n  display_name: Python 3\n  language: python\n  name: python3\n---\n\n# Title\n\n```{code-cell} ipython3\n:tags: [a]\n\nprint(1)\n```\n\n+++ {\"k\": 1}\n\nmd2\n\n```{raw-cell}\nraw\n```\n",
        "[{\"cell_type\": \"markdown\", \"source\": \"# Title\"}, {\"cell_type\": \"code\", \"source\": \"print(1)\", \"metadata\": {\"tags\": [\"a\"]}}, {\"cell_type\": \"markdown\", \"source\": \"md2\", \"metadata\": {\"k\": 1}}, {\"cell_type\": \"raw\", \"source\": \"raw\"}]",
        Some("{\"jupytext\": {\"default_lexer\": \"ipython3\"}, \"kernelspec\": {\"display_name\": \"Python 3\", \"language\": \"python\", \"name\": \"python3\"}}"),
    );
}

/// 10.4 Cells
#[test]
fn spec_10_4_2() {
    reads_as(
        "a\n+++\nb\n\n+++   \n\nc\n\n+++ {\"k\": [1, 2]}\nd\n\n + + +\ne\n\n+++ {\"lost\": 1}\n\n```{code-cell}\nx\n```\n",
        "[{\"cell_type\": \"markdown\", \"source\": \"a\"}, {\"cell_type\": \"markdown\", \"source\": \"b\"}, {\"cell_type\": \"markdown\", \"source\": \"c\"}, {\"cell_type\": \"markdown\", \"source\": \"d\", \"metadata\": {\"k\": [1, 2]}}, {\"cell_type\": \"markdown\", \"source\": \"e\"}, {\"cell_type\": \"code\", \"source\": \"x\"}]",
        Some("{}"),
    );
}

/// 10.4 Cells
#[test]
fn spec_10_4_3() {
    reads_as(
        "\n\n  Leading spaces kept\n\n```{note}\nA note\n```\n\nlast line, trailing spaces dropped   \n\n\n   ```{code-cell}\n   indented\n     more\n   ```\n\n- item\n\n  ```{code-cell}\n  nested\n  ```\n",
        "[{\"cell_type\": \"markdown\", \"source\": \"  Leading spaces kept\\n\\n```{note}\\nA note\\n```\\n\\nlast line, trailing spaces dropped\"}, {\"cell_type\": \"code\", \"source\": \"indented\\n  more\"}, {\"cell_type\": \"markdown\", \"source\": \"- item\\n\\n  ```{code-cell}\\n  nested\\n  ```\"}]",
        Some("{}"),
    );
}

/// 10.5 Code and raw cell bodies ('myst.read_fenced_cell', 'parse_directive_options')
#[test]
fn spec_10_5() {
    reads_as(
        "```{code-cell} python\n---\ntags: [a]\nx:\n  y: 1\n---\nbody\n```\n\n```{code-cell} python\n:a: yes\n:b: 017\n\n\nbody2\n```\n\n```{code-cell} python\n\n\nbody3\n\n\n```\n",
        "[{\"cell_type\": \"code\", \"source\": \"body\", \"metadata\": {\"tags\": [\"a\"], \"x\": {\"y\": 1}}}, {\"cell_type\": \"code\", \"source\": \"\\nbody2\", \"metadata\": {\"a\": true, \"b\": 15}}, {\"cell_type\": \"code\", \"source\": \"\\nbody3\\n\\n\"}]",
        Some("{\"jupytext\": {\"default_lexer\": \"python\", \"notebook_metadata_filter\": \"-all\"}}"),
    );
}

/// 10.5 Code and raw cell bodies ('myst.read_fenced_cell', 'parse_directive_options')
#[test]
fn spec_10_5_2() {
    reads_as(
        "```{code-cell}\nx\n\n```\n\n```{code-cell}\n\ny\n```\n",
        "[{\"cell_type\": \"code\", \"source\": \"x\\n\"}, {\"cell_type\": \"code\", \"source\": \"y\"}]",
        Some("{}"),
    );
}

/// 10.5 Code and raw cell bodies ('myst.read_fenced_cell', 'parse_directive_options')
#[test]
fn spec_10_5_3() {
    reads_as(
        "```{code-cell} python\nx\n",
        "[{\"cell_type\": \"code\", \"source\": \"x\\n\"}]",
        Some("{\"jupytext\": {\"default_lexer\": \"python\", \"notebook_metadata_filter\": \"-all\"}}"),
    );
}

/// 10.6 Notebook metadata ('myst_to_notebook', 'TextNotebookConverter.split_frontmatter', 'header.metadata_to_metadata_and_cell')
#[test]
fn spec_10_6() {
    reads_as(
        "# Title\n\n```{code-cell} ipython3\nx\n```\n",
        "[{\"cell_type\": \"markdown\", \"source\": \"# Title\"}, {\"cell_type\": \"code\", \"source\": \"x\"}]",
        Some("{\"jupytext\": {\"default_lexer\": \"ipython3\", \"notebook_metadata_filter\": \"-all\"}}"),
    );
}

/// 10.6 Notebook metadata ('myst_to_notebook', 'TextNotebookConverter.split_frontmatter', 'header.metadata_to_metadata_and_cell')
#[test]
fn spec_10_6_2() {
    reads_as(
        "```{code-cell}\nx\n```\n",
        "[{\"cell_type\": \"code\", \"source\": \"x\"}]",
        Some("{}"),
    );
}

/// 10.6 Notebook metadata ('myst_to_notebook', 'TextNotebookConverter.split_frontmatter', 'header.metadata_to_metadata_and_cell')
#[test]
fn spec_10_6_3() {
    reads_as(
        "---\ntitle: T\nmy key: 1\njupytext:\n  formats: ipynb,md:myst\n---\n\nx\n",
        "[{\"cell_type\": \"raw\", \"source\": \"---\\nmy key: 1\\n---\"}, {\"cell_type\": \"markdown\", \"source\": \"x\"}]",
        Some("{\"title\": \"T\", \"jupytext\": {\"formats\": \"ipynb,md:myst\"}}"),
    );
}

/// 10.6 Notebook metadata ('myst_to_notebook', 'TextNotebookConverter.split_frontmatter', 'header.metadata_to_metadata_and_cell')
#[test]
fn spec_10_6_4() {
    reads_as(
        "---\ntitle: T\nauthor: [A, B]\njupytext:\n  root_level_metadata_filter: -title,-author\n---\n\nx\n",
        "[{\"cell_type\": \"raw\", \"source\": \"---\\ntitle: T\\nauthor:\\n- A\\n- B\\n---\"}, {\"cell_type\": \"markdown\", \"source\": \"x\"}]",
        Some("{\"jupytext\": {\"root_level_metadata_filter\": \"-title,-author\"}}"),
    );
}

/// 1. Backticks inside a code cell lengthen the fence (§4.3)
#[test]
fn hard_1() {
    reads_as(
        "````{code-cell}\ns = '''\n```python\nx\n```\n'''\n````\n\n```````{code-cell}\n`````\n``````\n```````\n",
        "[{\"cell_type\": \"code\", \"source\": \"s = '''\\n```python\\nx\\n```\\n'''\"}, {\"cell_type\": \"code\", \"source\": \"`````\\n``````\"}]",
        None,
    );
}

/// 2. An indented fence inside code is not counted, and breaks the cell on reading (§4.3, §10.2)
#[test]
fn hard_2() {
    reads_as(
        "```{code-cell}\ndoc = '''\n  ```\n  x\n  ```\n'''\n```\n",
        "[{\"cell_type\": \"code\", \"source\": \"doc = '''\"}, {\"cell_type\": \"markdown\", \"source\": \"  x\\n  ```\\n'''\\n```\"}]",
        None,
    );
}

/// 3. '+++' (or '+ + +') inside a markdown cell splits it on reading (§10.4)
#[test]
fn hard_3() {
    reads_as(
        "Intro\n+++\nOutro\n\n+++\n\n+ + +\n",
        "[{\"cell_type\": \"markdown\", \"source\": \"Intro\"}, {\"cell_type\": \"markdown\", \"source\": \"Outro\"}]",
        None,
    );
}

/// 4. A '{code-cell}' fence inside a markdown cell becomes a code cell on reading (§3, §10.4)
#[test]
fn hard_4() {
    reads_as(
        "Example:\n\n```{code-cell} python\nprint(1)\n```\n",
        "[{\"cell_type\": \"markdown\", \"source\": \"Example:\"}, {\"cell_type\": \"code\", \"source\": \"print(1)\"}]",
        Some("{\"jupytext\": {\"default_lexer\": \"python\", \"notebook_metadata_filter\": \"-all\"}}"),
    );
}

/// 5. Empty markdown cells are written as a blank line and vanish on reading (§3, §10.4)
#[test]
fn hard_5() {
    reads_as(
        "a\n\n+++\n\n\n\n+++\n\nb\n",
        "[{\"cell_type\": \"markdown\", \"source\": \"a\"}, {\"cell_type\": \"markdown\", \"source\": \"b\"}]",
        None,
    );
}

/// 6. Markdown sources with and without final newlines (§3, §10.4)
#[test]
fn hard_6() {
    reads_as(
        "no newline\n\n+++\n\ntwo newlines\n\n\n```{code-cell}\nx\n```\n",
        "[{\"cell_type\": \"markdown\", \"source\": \"no newline\"}, {\"cell_type\": \"markdown\", \"source\": \"two newlines\"}, {\"cell_type\": \"code\", \"source\": \"x\"}]",
        None,
    );
}

/// 7. Trailing newlines of code cells: one is lost, two with options (§4.2, §10.5)
#[test]
fn hard_7() {
    reads_as(
        "```{code-cell}\nx\n```\n\n```{code-cell}\ny\n\n```\n\n```{code-cell}\n:tags: [t]\n\nz\n\n```\n",
        "[{\"cell_type\": \"code\", \"source\": \"x\"}, {\"cell_type\": \"code\", \"source\": \"y\\n\"}, {\"cell_type\": \"code\", \"source\": \"z\", \"metadata\": {\"tags\": [\"t\"]}}]",
        None,
    );
}

/// 8. Leading blank lines of code cells (§10.5)
#[test]
fn hard_8() {
    reads_as(
        "```{code-cell}\n\nx\n```\n\n```{code-cell}\n\n\ny\n```\n\n```{code-cell}\n:tags: [t]\n\n\nz\n```\n",
        "[{\"cell_type\": \"code\", \"source\": \"x\"}, {\"cell_type\": \"code\", \"source\": \"\\ny\"}, {\"cell_type\": \"code\", \"source\": \"\\nz\", \"metadata\": {\"tags\": [\"t\"]}}]",
        None,
    );
}

/// 9. Whitespace-only and empty code cells (§4.2, §10.5)
#[test]
fn hard_9() {
    reads_as(
        "```{code-cell}\n   \n```\n\n```{code-cell}\n\n```\n\n```{code-cell}\n\n```\n",
        "[{\"cell_type\": \"code\", \"source\": \"\"}, {\"cell_type\": \"code\", \"source\": \"\"}, {\"cell_type\": \"code\", \"source\": \"\"}]",
        None,
    );
}

/// 10. Code starting with '---' or ':' gets a protective empty line; indented ':' does not (§4.2, §10.5)
#[test]
fn hard_10() {
    reads_as(
        "```{code-cell}\n\n---\ntitle: not options\n---\nx\n```\n\n```{code-cell}\n\n:param x: doc\n```\n\n```{code-cell}\n  :param x: doc\n```\n",
        "[{\"cell_type\": \"code\", \"source\": \"---\\ntitle: not options\\n---\\nx\"}, {\"cell_type\": \"code\", \"source\": \":param x: doc\"}, {\"cell_type\": \"code\", \"source\": \"\", \"metadata\": {\"param x\": \"doc\"}}]",
        None,
    );
}

/// 11. The '{code-cell}' info string is not trimmed; the lexer is (§10.2)
#[test]
fn hard_11() {
    reads_as(
        "``` {code-cell} python\nx\n```\n\n```{code-cell}python\ny\n```\n",
        "[{\"cell_type\": \"markdown\", \"source\": \"``` {code-cell} python\\nx\\n```\"}, {\"cell_type\": \"code\", \"source\": \"y\"}]",
        Some("{\"jupytext\": {\"default_lexer\": \"python\", \"notebook_metadata_filter\": \"-all\"}}"),
    );
}

/// 12. Indented fences at top level vs indented code, lists, quotes (§10.2)
#[test]
fn hard_12() {
    reads_as(
        "   ```{code-cell}\n   x = 1\n       y\n   ```\n\n    ```{code-cell}\n    z\n    ```\n\n> ```{code-cell}\n> q\n> ```\n",
        "[{\"cell_type\": \"code\", \"source\": \"x = 1\\n    y\"}, {\"cell_type\": \"markdown\", \"source\": \"    ```{code-cell}\\n    z\\n    ```\\n\\n> ```{code-cell}\\n> q\\n> ```\"}]",
        Some("{}"),
    );
}

/// 13. An unclosed fence runs to the end of the file and keeps a trailing newline (§10.5)
#[test]
fn hard_13() {
    reads_as(
        "text\n\n```{code-cell}\nx = 1\n",
        "[{\"cell_type\": \"markdown\", \"source\": \"text\"}, {\"cell_type\": \"code\", \"source\": \"x = 1\\n\"}]",
        Some("{}"),
    );
}

/// 14. '+++' metadata not followed by markdown text is lost (§10.4)
#[test]
fn hard_14() {
    reads_as(
        "+++ {\"tags\": [\"lost\"]}\n\n```{code-cell}\nx\n```\n\n+++ {\"a\": 1}\n+++ {\"b\": 2}\ntext\n",
        "[{\"cell_type\": \"code\", \"source\": \"x\"}, {\"cell_type\": \"markdown\", \"source\": \"text\", \"metadata\": {\"b\": 2}}]",
        Some("{}"),
    );
}

/// 14a. An unclosed fence in a markdown cell swallows the next code cell (§10.2)
#[test]
fn hard_14a() {
    reads_as(
        "Example:\n```python\nprint(0)\n\n```{code-cell}\nx = 1\n```\n\nEnd\n",
        "[{\"cell_type\": \"markdown\", \"source\": \"Example:\\n```python\\nprint(0)\\n\\n```{code-cell}\\nx = 1\\n```\\n\\nEnd\"}]",
        None,
    );
}

/// 14b. An HTML block hides a fence until the next blank line (§10.2)
#[test]
fn hard_14b() {
    reads_as(
        "<details>\n```{code-cell}\nx\n```\n</details>\n\ntext\n",
        "[{\"cell_type\": \"markdown\", \"source\": \"<details>\\n```{code-cell}\\nx\\n```\\n</details>\\n\\ntext\"}]",
        Some("{}"),
    );
}

/// 14c. A fence interrupts a paragraph; so does '+++' (§10.2, §10.4)
#[test]
fn hard_14c() {
    reads_as(
        "para line\n```{code-cell}\ny\n```\nafter\n",
        "[{\"cell_type\": \"markdown\", \"source\": \"para line\"}, {\"cell_type\": \"code\", \"source\": \"y\"}, {\"cell_type\": \"markdown\", \"source\": \"after\"}]",
        Some("{}"),
    );
}

/// 15. CRLF and lone CR are written raw and read back as LF (§7, §10.4)
#[test]
fn hard_15() {
    reads_as(
        "a\r\nb\r\n\n```{code-cell}\nx = 1\r\ny = 2\r\n```\n\nlone\rcr\n",
        "[{\"cell_type\": \"markdown\", \"source\": \"a\\nb\"}, {\"cell_type\": \"code\", \"source\": \"x = 1\\ny = 2\"}, {\"cell_type\": \"markdown\", \"source\": \"lone\\ncr\"}]",
        None,
    );
}

/// 16. A form feed in a code cell shifts every later markdown cell on reading (§10.4)
#[test]
fn hard_16() {
    reads_as(
        "```{code-cell}\na = 1\u{c}b = 2\n```\n\nafter\n",
        "[{\"cell_type\": \"code\", \"source\": \"a = 1\\nb = 2\"}, {\"cell_type\": \"markdown\", \"source\": \"```\\n\\nafter\"}]",
        None,
    );
}

/// 17. The same with '\u2028' (LINE SEPARATOR) in markdown (§10.4)
#[test]
fn hard_17() {
    reads_as(
        "a\u{2028}b\n\n```{code-cell}\n1\n```\n\nd\n",
        "[{\"cell_type\": \"markdown\", \"source\": \"a\\nb\"}, {\"cell_type\": \"code\", \"source\": \"1\"}, {\"cell_type\": \"markdown\", \"source\": \"```\\n\\nd\"}]",
        None,
    );
}

/// 18. With a YAML header, a form feed anywhere makes the file unreadable (§10.1)
#[test]
fn hard_18() {
    refused("---\njupytext:\n  text_representation:\n    extension: .md\n    format_name: myst\n    format_version: 0.13\n    jupytext_version: 1.19.6\n---\n\n```{code-cell}\na = 1\u{c}b = 2\n```\n\nafter\n", "ReaderError: unacceptable character #x000c: special characters are not allowed");
}

/// 19. Tabs are kept everywhere, except that a tab after ':key:' is a YAML error (§10.5)
#[test]
fn hard_19() {
    reads_as(
        "```{code-cell}\n\tif x:\n\t\tpass\n```\n\n\tindented text\n",
        "[{\"cell_type\": \"code\", \"source\": \"\\tif x:\\n\\t\\tpass\"}, {\"cell_type\": \"markdown\", \"source\": \"\\tindented text\"}]",
        None,
    );
}

/// 19. Tabs are kept everywhere, except that a tab after ':key:' is a YAML error (§10.5)
#[test]
fn hard_19_2() {
    refused("```{code-cell}\n:tags:\t[a]\n\nx\n```\n", "MystMetadataParsingError: Code cell 0 at line 1 could not be read: Invalid YAML; while scanning for the next token");
}

/// 31. Reading options uses YAML 1.1, not 1.2 (§11)
#[test]
fn hard_31() {
    reads_as(
        "```{code-cell}\n:a: yes\n:b: 010\n:c: 1:30\n:d: 0o10\n:e: 1e3\n\nx\n```\n",
        "[{\"cell_type\": \"code\", \"source\": \"x\", \"metadata\": {\"a\": true, \"b\": 8, \"c\": 90, \"d\": \"0o10\", \"e\": \"1e3\"}}]",
        Some("{}"),
    );
}

/// 32. Options are validated by nbformat on reading (§10.5)
#[test]
fn hard_32() {
    refused(
        "```{code-cell}\n:tags: hide-input\n\nx\n```\n",
        "NotebookValidationError: 'hide-input' is not of type 'array'",
    );
}

/// 37. Magics are written verbatim (§4.2)
#[test]
fn hard_37() {
    reads_as(
        "```{code-cell} ipython3\n%%bash\necho hi\n```\n\n```{code-cell} ipython3\n%matplotlib inline\n!pip install x\ny = !ls\n```\n",
        "[{\"cell_type\": \"code\", \"source\": \"%%bash\\necho hi\"}, {\"cell_type\": \"code\", \"source\": \"%matplotlib inline\\n!pip install x\\ny = !ls\"}]",
        Some("{\"jupytext\": {\"default_lexer\": \"ipython3\", \"notebook_metadata_filter\": \"-all\"}}"),
    );
}

/// 38. A first raw cell with YAML is merged into the header, with a 'root_level_metadata_filter' (§2.4, §10.6)
#[test]
fn hard_38() {
    reads_as(
        "---\ntitle: T\ndate: 2024-01-01\njupytext:\n  text_representation:\n    extension: .md\n    format_name: myst\n    format_version: 0.13\n    jupytext_version: 1.19.6\n  root_level_metadata_filter: -title,-date\nkernelspec:\n  display_name: Python 3\n  language: python\n  name: python3\n---\n\nx\n",
        "[{\"cell_type\": \"raw\", \"source\": \"---\\ntitle: T\\ndate: 2024-01-01\\n---\"}, {\"cell_type\": \"markdown\", \"source\": \"x\"}]",
        Some("{\"jupytext\": {\"root_level_metadata_filter\": \"-title,-date\"}, \"kernelspec\": {\"display_name\": \"Python 3\", \"language\": \"python\", \"name\": \"python3\"}}"),
    );
}

/// 40. A markdown first cell that looks like front matter becomes notebook metadata (§10.3)
#[test]
fn hard_40() {
    reads_as(
        "---\ntitle: My doc\n---\n\nText\n",
        "[{\"cell_type\": \"markdown\", \"source\": \"Text\"}]",
        Some("{\"title\": \"My doc\"}"),
    );
}

/// 41. A 'null' in the header cannot be read back (§10.6)
#[test]
fn hard_41() {
    refused("---\njupytext:\n  text_representation:\n    extension: .md\n    format_name: myst\n    format_version: 0.13\n    jupytext_version: 1.19.6\norphan: null\n---\n\n```{code-cell}\n1\n```\n", "KeyError: 'orphan'");
}

/// 42. Dates in the header: MyST reading yields a date that the '.ipynb' writer refuses (§11)
#[test]
fn hard_42() {
    refused(
        "---\ndate: 2024-01-01\n---\n\ntext\n",
        "TypeError: Object of type date is not JSON serializable",
    );
}
