//! nbformat 3 notebooks, upgraded to 4.5 in memory as `nbformat.reads(text, as_version=4)`
//! does, with ids derived from each cell instead of random ones.

use nbmyst::notebook::{read, write, Read, ReadError, ReadOptions, ReadWarning};

use crate::ipynb_conformance::without_ids;

/// Every cell has an 8-hex-digit id, all different.
pub fn assert_derived_ids(r: &Read) {
    let mut seen = std::collections::HashSet::new();
    for (index, cell) in r.notebook.cells.iter().enumerate() {
        let id = cell
            .id
            .as_deref()
            .unwrap_or_else(|| panic!("cell {index} has no id"));
        assert!(
            id.len() == 8
                && id
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()),
            "cell {index}: {id:?}"
        );
        assert!(
            seen.insert(id.to_owned()),
            "cell {index}: duplicate id {id}"
        );
    }
}

/// Two worksheets, headings with and without a level and with line breaks, lines joined with
/// and without newlines, every v3 output type and short MIME key, transient keys.
const MULTI_V3: &str = r##"{"metadata": {"name": "multi", "signature": "sha256:1", "kernelspec": {"name": "python3", "display_name": "P", "language": "python"}}, "nbformat": 3, "nbformat_minor": 0, "orig_nbformat": 2, "extra_top": [1], "worksheets": [{"metadata": {"w": 1}, "cells": [{"cell_type": "heading", "metadata": {}, "source": "No level\r\nsecond\u2028third"}, {"cell_type": "heading", "level": 6, "metadata": {}, "source": ["a", "b"]}, {"cell_type": "markdown", "metadata": {"trusted": true}, "source": ["no newline", "joined"]}, {"cell_type": "code", "input": "x", "language": "python", "metadata": {}, "outputs": [{"output_type": "pyout", "text": ["a", "b"], "png": ["iVBOR\n", "AAA"], "latex": ["$x$\n", "$y$"], "metadata": {"jpeg": {"w": 1}}}, {"output_type": "stream", "text": "no stream key\n"}, {"output_type": "display_data", "svg": ["<svg>\n", "</svg>"], "jpeg": "/9j/\n"}, {"output_type": "pyerr", "ename": "E", "evalue": "v", "traceback": ["a\n", "b"]}]}, {"cell_type": "code", "input": [], "collapsed": true, "metadata": {"tags": ["t"]}, "prompt_number": 7, "outputs": []}]}, {"cells": [{"cell_type": "raw", "metadata": {}, "source": ["r1\n", "r2"]}, {"cell_type": "html", "metadata": {}, "source": "<p>\n</p>"}]}]}"##;

/// `nbformat.writes(nbformat.reads(MULTI_V3, as_version=4)) + "\n"` (nbformat 5.11.1; random
/// ids).
const MULTI_BY_NBFORMAT: &str = r#######"{
 "cells": [
  {
   "cell_type": "markdown",
   "id": "cf1f6892",
   "metadata": {},
   "source": [
    "# No level second third"
   ]
  },
  {
   "cell_type": "markdown",
   "id": "aeefd5c9",
   "metadata": {},
   "source": [
    "###### a b"
   ]
  },
  {
   "cell_type": "markdown",
   "id": "18a59752",
   "metadata": {},
   "source": [
    "no newline\n",
    "joined"
   ]
  },
  {
   "cell_type": "code",
   "execution_count": null,
   "id": "0fe768da",
   "metadata": {},
   "outputs": [
    {
     "data": {
      "image/png": [
       "iVBOR\n",
       "AAA"
      ],
      "text/latex": [
       "$x$\n",
       "$y$"
      ],
      "text/plain": [
       "a\n",
       "b"
      ]
     },
     "execution_count": null,
     "metadata": {
      "image/jpeg": {
       "w": 1
      }
     },
     "output_type": "execute_result"
    },
    {
     "name": "stdout",
     "output_type": "stream",
     "text": [
      "no stream key\n"
     ]
    },
    {
     "data": {
      "image/jpeg": "/9j/\n",
      "image/svg+xml": [
       "<svg>\n",
       "</svg>"
      ]
     },
     "metadata": {},
     "output_type": "display_data"
    },
    {
     "ename": "E",
     "evalue": "v",
     "output_type": "error",
     "traceback": [
      "a\n",
      "b"
     ]
    }
   ],
   "source": [
    "x"
   ]
  },
  {
   "cell_type": "code",
   "execution_count": 7,
   "id": "9c0c7023",
   "metadata": {
    "collapsed": true,
    "tags": [
     "t"
    ]
   },
   "outputs": [],
   "source": []
  },
  {
   "cell_type": "raw",
   "id": "094e4cdd",
   "metadata": {},
   "source": [
    "r1\n",
    "r2"
   ]
  },
  {
   "cell_type": "markdown",
   "id": "e6b6ccf0",
   "metadata": {},
   "source": [
    "<p>\n",
    "</p>"
   ]
  }
 ],
 "extra_top": [
  1
 ],
 "metadata": {
  "kernelspec": {
   "display_name": "P",
   "language": "python",
   "name": "python3"
  }
 },
 "nbformat": 4,
 "nbformat_minor": 5
}
"#######;

#[test]
fn upgrade_matches_nbformat() {
    let r = read(MULTI_V3.as_bytes(), &ReadOptions::FULL).unwrap();
    assert_eq!(r.upgraded_from(), Some((3, 0)));
    assert_eq!(
        without_ids(&write(&r.notebook)),
        without_ids(MULTI_BY_NBFORMAT)
    );
    assert_derived_ids(&r);
    assert_eq!(
        r.outputs_present,
        [false, false, false, true, true, false, false]
    );
}

#[test]
fn upgrade_without_outputs() {
    let full = read(MULTI_V3.as_bytes(), &ReadOptions::FULL).unwrap();
    let inputs = read(MULTI_V3.as_bytes(), &ReadOptions::WITHOUT_OUTPUTS).unwrap();
    assert_eq!(inputs.outputs_present, full.outputs_present);
    for (a, b) in inputs.notebook.cells.iter().zip(&full.notebook.cells) {
        assert_eq!(a.outputs, None);
        assert_eq!(
            (&a.id, &a.source, &a.metadata),
            (&b.id, &b.source, &b.metadata)
        );
    }
}

#[test]
fn older_and_malformed_v3() {
    for (text, error) in [
        (
            r#"{"nbformat": 2, "worksheets": []}"#,
            ReadError::TooOld { major: 2 },
        ),
        (r#"{"nbformat": 1}"#, ReadError::TooOld { major: 1 }),
        (
            r#"{"nbformat": 3, "nbformat_minor": 0, "metadata": {}}"#,
            ReadError::NoWorksheets,
        ),
        (
            r#"{"nbformat": "4", "cells": []}"#,
            ReadError::BadVersion {
                key: "nbformat",
                found: "a string".to_owned(),
            },
        ),
    ] {
        assert_eq!(
            read(text.as_bytes(), &ReadOptions::FULL).err(),
            Some(error),
            "{text}"
        );
    }
    let r = read(
        br#"{"nbformat": 3, "worksheets": [{"cells": []}]}"#,
        &ReadOptions::FULL,
    )
    .unwrap();
    assert_eq!(
        r.warnings,
        [
            ReadWarning::Upgraded { major: 3, minor: 0 },
            ReadWarning::MissingNotebookMetadata
        ]
    );
    assert_eq!((r.notebook.nbformat, r.notebook.nbformat_minor), (4, 5));
}
