//! Writing diff lines, plain or in git's default diff colours.
//!
//! The escape sequences are the ones `git diff --color` writes with no `color.diff.*` settings:
//! headers bold, hunk headers cyan, removed lines red, added lines green (with trailing blanks
//! on a red background, git's `blank-at-eol` whitespace error), context uncoloured. Lines nbmyst
//! adds (output accounts and summaries, all starting with `##`) are painted like hunk headers.

use std::io::{self, Write};

/// Resets every attribute.
pub const RESET: &[u8] = b"\x1b[m";
/// `color.diff.meta`: `diff --git`, `index`, `---`, `+++` and the other header lines.
pub const META: &[u8] = b"\x1b[1m";
/// `color.diff.frag`: `@@ -1,3 +1,3 @@`.
pub const FRAG: &[u8] = b"\x1b[36m";
/// `color.diff.old`: removed lines.
pub const OLD: &[u8] = b"\x1b[31m";
/// `color.diff.new`: added lines.
pub const NEW: &[u8] = b"\x1b[32m";
/// `color.diff.whitespace`: whitespace errors in added lines.
pub const WHITESPACE: &[u8] = b"\x1b[41m";

/// What a body line is to the diff.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sign {
    /// Unchanged (` `).
    Context,
    /// Only on the old side (`-`).
    Old,
    /// Only on the new side (`+`).
    New,
}

impl Sign {
    fn byte(self) -> u8 {
        match self {
            Sign::Context => b' ',
            Sign::Old => b'-',
            Sign::New => b'+',
        }
    }
}

/// Writes diff lines to `out`, coloured when `colour` is on.
pub struct Painter<'w> {
    out: &'w mut dyn Write,
    colour: bool,
}

impl<'w> Painter<'w> {
    pub fn new(out: &'w mut dyn Write, colour: bool) -> Painter<'w> {
        Painter { out, colour }
    }

    /// Flush the writer.
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    /// Whether escapes are written.
    pub fn colour(&self) -> bool {
        self.colour
    }

    /// A header line (`diff --git ...`, `index ...`); `line` has no line break.
    pub fn meta(&mut self, line: &[u8]) -> io::Result<()> {
        self.painted(META, line)?;
        self.out.write_all(b"\n")
    }

    /// A `--- a/PATH` or `+++ b/PATH` line (`marker` is `---` or `+++`): git adds a tab after
    /// a name with a space in it.
    pub fn file_line(&mut self, marker: &str, name: &[u8]) -> io::Result<()> {
        let mut line = Vec::with_capacity(marker.len() + 1 + name.len());
        line.extend_from_slice(marker.as_bytes());
        line.push(b' ');
        line.extend_from_slice(name);
        self.painted(META, &line)?;
        if name.contains(&b' ') {
            self.out.write_all(b"\t")?;
        }
        self.out.write_all(b"\n")
    }

    /// A hunk header `@@ -a,b +c,d @@` and the function line git shows after it.
    pub fn hunk_header(&mut self, range: &str, func: &[u8]) -> io::Result<()> {
        self.painted(FRAG, range.as_bytes())?;
        if !func.is_empty() {
            self.out.write_all(b" ")?;
            if self.colour {
                self.out.write_all(RESET)?;
            }
            self.out.write_all(func)?;
            if self.colour {
                self.out.write_all(RESET)?;
            }
        }
        self.out.write_all(b"\n")
    }

    /// One of nbmyst's own lines (`## ...`), painted like a hunk header.
    pub fn note(&mut self, text: &str) -> io::Result<()> {
        self.painted(FRAG, text.as_bytes())?;
        self.out.write_all(b"\n")
    }

    /// A line git writes uncoloured (`Binary files a/P and b/P differ`, `* Unmerged path P`).
    pub fn plain(&mut self, line: &[u8]) -> io::Result<()> {
        self.out.write_all(line)?;
        self.out.write_all(b"\n")
    }

    /// A body line. `line` may end with `\n`; a last line without one is followed by git's
    /// `\ No newline at end of file`.
    pub fn body(&mut self, sign: Sign, line: &[u8]) -> io::Result<()> {
        let (content, complete) = match line.strip_suffix(b"\n") {
            Some(content) => (content, true),
            None => (line, false),
        };
        if !self.colour {
            self.out.write_all(&[sign.byte()])?;
            self.out.write_all(content)?;
        } else {
            match sign {
                Sign::Context => {
                    self.out.write_all(b" ")?;
                    self.out.write_all(content)?;
                    self.out.write_all(RESET)?;
                }
                Sign::Old => {
                    self.out.write_all(OLD)?;
                    self.out.write_all(b"-")?;
                    self.out.write_all(content)?;
                    self.out.write_all(RESET)?;
                }
                Sign::New => self.added(content)?,
            }
        }
        self.out.write_all(b"\n")?;
        if !complete {
            self.out.write_all(b"\\ No newline at end of file")?;
            if self.colour {
                self.out.write_all(RESET)?;
            }
            self.out.write_all(b"\n")?;
        }
        Ok(())
    }

    /// An added line as git colours it: the sign, the text, then trailing blanks marked.
    fn added(&mut self, content: &[u8]) -> io::Result<()> {
        self.out.write_all(NEW)?;
        self.out.write_all(b"+")?;
        self.out.write_all(RESET)?;
        let text_len = content
            .iter()
            .rposition(|&b| b != b' ' && b != b'\t')
            .map_or(0, |at| at + 1);
        let (text, blanks) = content.split_at(text_len);
        if !text.is_empty() {
            self.painted(NEW, text)?;
        }
        if !blanks.is_empty() {
            self.painted(WHITESPACE, blanks)?;
        }
        Ok(())
    }

    fn painted(&mut self, colour: &[u8], text: &[u8]) -> io::Result<()> {
        if self.colour {
            self.out.write_all(colour)?;
            self.out.write_all(text)?;
            self.out.write_all(RESET)
        } else {
            self.out.write_all(text)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn painted(colour: bool, f: impl FnOnce(&mut Painter) -> io::Result<()>) -> String {
        let mut out = Vec::new();
        f(&mut Painter::new(&mut out, colour)).unwrap();
        String::from_utf8(out).unwrap()
    }

    // The expected bytes are what `git diff --color=always` (2.47) writes for the same lines.
    #[test]
    fn colours_are_gits() {
        let text = painted(true, |p| {
            p.meta(b"diff --git a/k.txt b/k.txt")?;
            p.hunk_header("@@ -4,5 +4,5 @@", b"func one")?;
            p.body(Sign::Context, b"3\n")?;
            p.body(Sign::Old, b"6\n")?;
            p.body(Sign::New, b"6x\n")?;
            p.body(Sign::New, b"\n")?;
            p.body(Sign::New, b"2 \n")?;
            p.body(Sign::New, b"nonl")
        });
        assert_eq!(
            text,
            "\x1b[1mdiff --git a/k.txt b/k.txt\x1b[m\n\
             \x1b[36m@@ -4,5 +4,5 @@\x1b[m \x1b[mfunc one\x1b[m\n\
             \x20\x33\x1b[m\n\
             \x1b[31m-6\x1b[m\n\
             \x1b[32m+\x1b[m\x1b[32m6x\x1b[m\n\
             \x1b[32m+\x1b[m\n\
             \x1b[32m+\x1b[m\x1b[32m2\x1b[m\x1b[41m \x1b[m\n\
             \x1b[32m+\x1b[m\x1b[32mnonl\x1b[m\n\
             \\ No newline at end of file\x1b[m\n"
        );
    }

    #[test]
    fn plain_has_no_escapes() {
        let text = painted(false, |p| {
            p.hunk_header("@@ -1 +1 @@", b"")?;
            p.body(Sign::Old, b"a\n")?;
            p.body(Sign::New, b"b")?;
            p.file_line("+++", b"b/d d.ipynb")?;
            p.file_line("---", b"a/n.ipynb")
        });
        assert_eq!(
            text,
            "@@ -1 +1 @@\n-a\n+b\n\\ No newline at end of file\n+++ b/d d.ipynb\t\n--- a/n.ipynb\n"
        );
    }
}
