//! git's file headers: `diff --git`, mode, rename and `index` lines, `---` / `+++`.

use std::io;

use super::paint::Painter;

/// How many hex digits of an object id the `index` line shows (git's minimum abbreviation).
pub const ABBREV: usize = 7;

/// One side of a file pair as git describes it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Blob {
    /// The object id (40 or 64 hex digits; all zeros for a work-tree file git did not hash).
    pub hex: Option<String>,
    /// The mode, `100644`, `100755` or `120000`.
    pub mode: Option<String>,
}

/// What the header of one file pair says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileHeader {
    /// The old path (relative, `/`-separated, as git gives it).
    pub old_path: Vec<u8>,
    /// The new path.
    pub new_path: Vec<u8>,
    /// The old side; `None` when the file is added.
    pub old: Option<Blob>,
    /// The new side; `None` when the file is deleted.
    pub new: Option<Blob>,
    /// The extended header lines git passes with a rename or copy (`similarity index`,
    /// `rename from`, ..., `index`), which replace the `index` line.
    pub extended: Option<Vec<u8>>,
}

impl FileHeader {
    /// Whether the header alone reports a change: an added or deleted file, a rename or copy,
    /// a new mode.
    pub fn reports_change(&self) -> bool {
        match (&self.old, &self.new) {
            (Some(old), Some(new)) => {
                self.old_path != self.new_path
                    || self.extended.is_some()
                    || (old.mode.is_some() && new.mode.is_some() && old.mode != new.mode)
            }
            _ => true,
        }
    }

    /// Write the lines before `---`.
    pub fn write(&self, painter: &mut Painter) -> io::Result<()> {
        let mut line = b"diff --git ".to_vec();
        line.extend(quote_path(b"a/", &self.old_path));
        line.push(b' ');
        line.extend(quote_path(b"b/", &self.new_path));
        painter.meta(&line)?;
        let old_mode = self.old.as_ref().and_then(|b| b.mode.as_deref());
        let new_mode = self.new.as_ref().and_then(|b| b.mode.as_deref());
        let mut same_mode = None;
        match (&self.old, &self.new) {
            (None, Some(_)) => {
                if let Some(mode) = new_mode {
                    painter.meta(format!("new file mode {mode}").as_bytes())?;
                }
            }
            (Some(_), None) => {
                if let Some(mode) = old_mode {
                    painter.meta(format!("deleted file mode {mode}").as_bytes())?;
                }
            }
            _ => match (old_mode, new_mode) {
                (Some(a), Some(b)) if a != b => {
                    painter.meta(format!("old mode {a}").as_bytes())?;
                    painter.meta(format!("new mode {b}").as_bytes())?;
                }
                (Some(a), Some(_)) => same_mode = Some(a),
                _ => {}
            },
        }
        if let Some(extended) = &self.extended {
            for line in extended.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
                painter.meta(line)?;
            }
            return Ok(());
        }
        let old_hex = self.old.as_ref().and_then(|b| b.hex.as_deref());
        let new_hex = self.new.as_ref().and_then(|b| b.hex.as_deref());
        let zeros = |other: &str| "0".repeat(other.len());
        let (old_hex, new_hex) = match (old_hex, new_hex) {
            (Some(a), Some(b)) => (a.to_owned(), b.to_owned()),
            (None, Some(b)) if self.old.is_none() => (zeros(b), b.to_owned()),
            (Some(a), None) if self.new.is_none() => (a.to_owned(), zeros(a)),
            _ => return Ok(()),
        };
        if old_hex != new_hex {
            let mut line = format!("index {}..{}", abbrev(&old_hex), abbrev(&new_hex));
            if let Some(mode) = same_mode {
                line.push(' ');
                line.push_str(mode);
            }
            painter.meta(line.as_bytes())?;
        }
        Ok(())
    }

    /// Write `--- a/OLD` and `+++ b/NEW` (`/dev/null` for an absent side).
    pub fn write_names(&self, painter: &mut Painter) -> io::Result<()> {
        let old = match self.old {
            Some(_) => quote_path(b"a/", &self.old_path),
            None => b"/dev/null".to_vec(),
        };
        let new = match self.new {
            Some(_) => quote_path(b"b/", &self.new_path),
            None => b"/dev/null".to_vec(),
        };
        painter.file_line("---", &old)?;
        painter.file_line("+++", &new)
    }

    /// `Binary files a/P and b/P differ`.
    pub fn write_binary(&self, painter: &mut Painter) -> io::Result<()> {
        let mut line = b"Binary files ".to_vec();
        match self.old {
            Some(_) => line.extend(quote_path(b"a/", &self.old_path)),
            None => line.extend_from_slice(b"/dev/null"),
        }
        line.extend_from_slice(b" and ");
        match self.new {
            Some(_) => line.extend(quote_path(b"b/", &self.new_path)),
            None => line.extend_from_slice(b"/dev/null"),
        }
        line.extend_from_slice(b" differ");
        painter.plain(&line)
    }
}

fn abbrev(hex: &str) -> &str {
    hex.get(..ABBREV).unwrap_or(hex)
}

/// `prefix` + `path`, in double quotes with C escapes when the path holds a control character,
/// `"` or `\` (git's quoting with `core.quotePath = false`: other bytes are left as they are).
pub fn quote_path(prefix: &[u8], path: &[u8]) -> Vec<u8> {
    let needs_quotes = path
        .iter()
        .any(|&b| b < 0x20 || b == b'"' || b == b'\\' || b == 0x7f);
    let mut out = Vec::with_capacity(prefix.len() + path.len() + 2);
    if !needs_quotes {
        out.extend_from_slice(prefix);
        out.extend_from_slice(path);
        return out;
    }
    out.push(b'"');
    out.extend_from_slice(prefix);
    for &b in path {
        match b {
            b'\x07' => out.extend_from_slice(b"\\a"),
            b'\x08' => out.extend_from_slice(b"\\b"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\x0b' => out.extend_from_slice(b"\\v"),
            b'\x0c' => out.extend_from_slice(b"\\f"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b if b < 0x20 || b == 0x7f => out.extend_from_slice(format!("\\{b:03o}").as_bytes()),
            b => out.push(b),
        }
    }
    out.push(b'"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blob(hex: &str, mode: &str) -> Option<Blob> {
        Some(Blob {
            hex: Some(hex.to_owned()),
            mode: Some(mode.to_owned()),
        })
    }

    fn written(header: &FileHeader) -> String {
        let mut out = Vec::new();
        let mut painter = Painter::new(&mut out, false);
        header.write(&mut painter).unwrap();
        header.write_names(&mut painter).unwrap();
        String::from_utf8(out).unwrap()
    }

    const A: &str = "71ac1b5791204c80666ab1a4f9886b79e982739c";
    const B: &str = "f2fdc9357ae129caa70c30ef214478f8f9e42b64";

    // Expected texts: what `git diff` (2.47) prints for the same change without a driver.
    #[test]
    fn modified_added_deleted() {
        let modified = FileHeader {
            old_path: b"f.txt".to_vec(),
            new_path: b"f.txt".to_vec(),
            old: blob(A, "100644"),
            new: blob(B, "100644"),
            extended: None,
        };
        assert_eq!(
            written(&modified),
            "diff --git a/f.txt b/f.txt\nindex 71ac1b5..f2fdc93 100644\n--- a/f.txt\n+++ b/f.txt\n"
        );
        let mode = FileHeader {
            new: blob(B, "100755"),
            ..modified.clone()
        };
        assert_eq!(
            written(&mode),
            "diff --git a/f.txt b/f.txt\nold mode 100644\nnew mode 100755\nindex 71ac1b5..f2fdc93\n--- a/f.txt\n+++ b/f.txt\n"
        );
        let added = FileHeader {
            old: None,
            ..modified.clone()
        };
        assert_eq!(
            written(&added),
            "diff --git a/f.txt b/f.txt\nnew file mode 100644\nindex 0000000..f2fdc93\n--- /dev/null\n+++ b/f.txt\n"
        );
        let deleted = FileHeader {
            new: None,
            ..modified
        };
        assert_eq!(
            written(&deleted),
            "diff --git a/f.txt b/f.txt\ndeleted file mode 100644\nindex 71ac1b5..0000000\n--- a/f.txt\n+++ /dev/null\n"
        );
    }

    #[test]
    fn rename_uses_gits_extended_lines() {
        let renamed = FileHeader {
            old_path: b"f.txt".to_vec(),
            new_path: b"g h.txt".to_vec(),
            old: blob(A, "100644"),
            new: blob(B, "100755"),
            extended: Some(
                b"similarity index 70%\nrename from f.txt\nrename to g h.txt\nindex 71ac1b5..f2fdc93\n"
                    .to_vec(),
            ),
        };
        assert_eq!(
            written(&renamed),
            "diff --git a/f.txt b/g h.txt\nold mode 100644\nnew mode 100755\nsimilarity index 70%\n\
             rename from f.txt\nrename to g h.txt\nindex 71ac1b5..f2fdc93\n--- a/f.txt\n+++ b/g h.txt\t\n"
        );
        assert!(renamed.reports_change());
    }

    #[test]
    fn quoting() {
        assert_eq!(
            quote_path(b"a/", "dir with space/ünï.ipynb".as_bytes()),
            "a/dir with space/ünï.ipynb".as_bytes()
        );
        assert_eq!(
            quote_path(b"b/", b"tab\there\"q\\\x01"),
            b"\"b/tab\\there\\\"q\\\\\\001\""
        );
    }
}
