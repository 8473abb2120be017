//! A short, stable account of a cell's outputs, one line per fact, made to be line-diffed.
//!
//! Each output gets a header line `TYPE ...` (the stream name, the MIME types of a bundle, the
//! error name), then:
//! - text (a stream, `text/plain`, an error's traceback) as `  | line`, escape sequences removed
//!   and carriage returns applied as a terminal would;
//! - an image (`image/png`, `image/jpeg`, `image/gif`) as one line: MIME type, pixel size read
//!   from the image header, byte size and a short SHA-256 of the decoded bytes, so a re-generated
//!   identical image gives the same line;
//! - any other MIME type (HTML, JSON, SVG, ...) as one line: MIME type, byte size, short hash;
//! - non-empty output metadata as one line.
//!
//! Execution counts are left out: they change on every run and are reported apart.

use sha2::{Digest, Sha256};

use crate::notebook::json::to_python_json_compact;
use crate::notebook::Json;

/// How many hex digits of a SHA-256 are shown.
pub const HASH_DIGITS: usize = 8;

/// Output metadata longer than this (as compact JSON) is shown by size and hash.
const METADATA_INLINE_MAX: usize = 80;

/// One line of an account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountLine {
    pub text: String,
    /// The first line of an output (`TYPE ...`).
    pub header: bool,
}

impl AccountLine {
    fn header(text: String) -> AccountLine {
        AccountLine { text, header: true }
    }

    fn detail(text: String) -> AccountLine {
        AccountLine {
            text,
            header: false,
        }
    }
}

/// The account of a list of outputs.
pub fn account(outputs: &[Json]) -> Vec<AccountLine> {
    let mut lines = Vec::new();
    for output in outputs {
        account_one(output, &mut lines);
    }
    lines
}

fn account_one(output: &Json, lines: &mut Vec<AccountLine>) {
    let Some(map) = output.as_object() else {
        lines.push(AccountLine::header(format!(
            "{}, {}",
            output.kind_name(),
            size_and_hash(compact(output).as_bytes())
        )));
        return;
    };
    let output_type = map
        .get("output_type")
        .and_then(Json::as_str)
        .unwrap_or("(no output_type)");
    match output_type {
        "stream" => {
            let name = map.get("name").and_then(Json::as_str).unwrap_or("");
            lines.push(AccountLine::header(
                format!("stream {name}").trim_end().to_owned(),
            ));
            match map.get("text") {
                Some(Json::Str(text)) => push_text(text, lines),
                Some(other) => lines.push(AccountLine::detail(format!(
                    "  text {}, {}",
                    other.kind_name(),
                    size_and_hash(compact(other).as_bytes())
                ))),
                None => {}
            }
        }
        "execute_result" | "display_data" | "update_display_data" => {
            let data = map.get("data").and_then(Json::as_object);
            let mut header = output_type.to_owned();
            for mime in data.into_iter().flat_map(|d| d.keys()) {
                header.push(' ');
                header.push_str(mime);
            }
            lines.push(AccountLine::header(header));
            for (mime, value) in data.into_iter().flatten() {
                push_mime(mime, value, lines);
            }
            push_metadata(map.get("metadata"), lines);
        }
        "error" => {
            let ename = map.get("ename").and_then(Json::as_str).unwrap_or("");
            lines.push(AccountLine::header(
                format!("error {}", clean_line(ename)).trim_end().to_owned(),
            ));
            let traceback = map.get("traceback").and_then(Json::as_array);
            match traceback {
                Some(entries) if !entries.is_empty() => {
                    for entry in entries {
                        match entry {
                            Json::Str(text) => push_text(text, lines),
                            other => push_text(&compact(other), lines),
                        }
                    }
                }
                _ => {
                    let evalue = map.get("evalue").and_then(Json::as_str).unwrap_or("");
                    push_text(&format!("{ename}: {evalue}"), lines);
                }
            }
        }
        other => {
            lines.push(AccountLine::header(format!(
                "{}, {}",
                clean_line(other),
                size_and_hash(compact(output).as_bytes())
            )));
        }
    }
}

/// One entry of a MIME bundle.
fn push_mime(mime: &str, value: &Json, lines: &mut Vec<AccountLine>) {
    let mime_shown = clean_line(mime);
    match (mime, value) {
        ("text/plain", Json::Str(text)) => push_text(text, lines),
        ("image/png" | "image/jpeg" | "image/gif", Json::Str(encoded)) => {
            let line = match decode_base64(encoded) {
                Some(bytes) => match image_size(&bytes) {
                    Some((w, h)) => format!("  {mime_shown}, {w}x{h}, {}", size_and_hash(&bytes)),
                    None => format!("  {mime_shown}, {}", size_and_hash(&bytes)),
                },
                None => format!(
                    "  {mime_shown}, not base64, {}",
                    size_and_hash(encoded.as_bytes())
                ),
            };
            lines.push(AccountLine::detail(line));
        }
        (_, Json::Str(text)) => lines.push(AccountLine::detail(format!(
            "  {mime_shown}, {}",
            size_and_hash(text.as_bytes())
        ))),
        (_, other) => lines.push(AccountLine::detail(format!(
            "  {mime_shown}, {}",
            size_and_hash(compact(other).as_bytes())
        ))),
    }
}

fn push_metadata(metadata: Option<&Json>, lines: &mut Vec<AccountLine>) {
    let Some(metadata) = metadata else {
        return;
    };
    if matches!(metadata, Json::Object(map) if map.is_empty()) {
        return;
    }
    let text = compact(metadata);
    let line = if text.len() <= METADATA_INLINE_MAX && !text.contains(['\n', '\r', '\x1b']) {
        format!("  metadata {text}")
    } else {
        format!("  metadata, {}", size_and_hash(text.as_bytes()))
    };
    lines.push(AccountLine::detail(line));
}

/// Text as `  | line` lines.
fn push_text(text: &str, lines: &mut Vec<AccountLine>) {
    let text = text.strip_suffix('\n').unwrap_or(text);
    for line in text.split('\n') {
        let line = clean_line(line);
        lines.push(AccountLine::detail(if line.is_empty() {
            "  |".to_owned()
        } else {
            format!("  | {line}")
        }));
    }
}

/// One-line JSON with sorted keys (Python's `json.dumps(value, sort_keys=True)`), as a stable
/// form of any value.
fn compact(value: &Json) -> String {
    to_python_json_compact(value, false, true)
}

/// `N bytes, sha256 0123abcd`.
pub fn size_and_hash(bytes: &[u8]) -> String {
    format!("{} bytes, sha256 {}", bytes.len(), short_hash(bytes))
}

/// The first [`HASH_DIGITS`] hex digits of the SHA-256 of `bytes`.
pub fn short_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(HASH_DIGITS);
    for byte in digest.iter().take(HASH_DIGITS.div_ceil(2)) {
        hex.push_str(&format!("{byte:02x}"));
    }
    hex.truncate(HASH_DIGITS);
    hex
}

/// One line of output as a terminal would leave it: escape sequences (colours, cursor moves,
/// titles) removed, a carriage return starting the line over, other control characters but
/// tabs dropped.
pub fn clean_line(line: &str) -> String {
    // What a carriage return leaves: the text after the last one (a trailing one changes nothing).
    let line = line.strip_suffix('\r').unwrap_or(line);
    let line = match line.rfind('\r') {
        Some(at) => &line[at + 1..],
        None => line,
    };
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\x1b' => match chars.next() {
                // CSI: parameters and intermediates, then one final byte in @..~
                Some('[') => {
                    for c in chars.by_ref() {
                        if ('@'..='~').contains(&c) {
                            break;
                        }
                    }
                }
                // OSC (and the other string commands): up to BEL or ESC \
                Some(']' | 'P' | 'X' | '^' | '_') => {
                    while let Some(c) = chars.next() {
                        if c == '\x07' {
                            break;
                        }
                        if c == '\x1b' {
                            if chars.peek() == Some(&'\\') {
                                chars.next();
                            }
                            break;
                        }
                    }
                }
                // Two-character sequences (and a lone escape at the end).
                _ => {}
            },
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// The value of each base64 character (both alphabets), [`NOT_BASE64`] for the rest.
const BASE64_VALUES: [u8; 256] = {
    let mut table = [NOT_BASE64; 256];
    let mut i = 0;
    while i < 26 {
        table[b'A' as usize + i] = i as u8;
        table[b'a' as usize + i] = 26 + i as u8;
        i += 1;
    }
    let mut d = 0;
    while d < 10 {
        table[b'0' as usize + d] = 52 + d as u8;
        d += 1;
    }
    table[b'+' as usize] = 62;
    table[b'-' as usize] = 62;
    table[b'/' as usize] = 63;
    table[b'_' as usize] = 63;
    table
};
const NOT_BASE64: u8 = 0xFF;

/// Decode standard base64, ignoring whitespace (nbformat wraps long strings); `None` when it is
/// not base64.
pub fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let mut acc: u32 = 0;
    let mut count = 0;
    let mut padding = 0;
    for &c in text.as_bytes() {
        let value = BASE64_VALUES[usize::from(c)];
        if value == NOT_BASE64 {
            match c {
                b'=' => padding += 1,
                b' ' | b'\n' | b'\r' | b'\t' | b'\x0b' | b'\x0c' => {}
                _ => return None,
            }
            continue;
        }
        if padding > 0 {
            return None;
        }
        acc = (acc << 6) | u32::from(value);
        count += 1;
        if count == 4 {
            out.extend_from_slice(&[(acc >> 16) as u8, (acc >> 8) as u8, acc as u8]);
            acc = 0;
            count = 0;
        }
    }
    match count {
        0 => {}
        2 => out.push((acc >> 4) as u8),
        3 => out.extend_from_slice(&[(acc >> 10) as u8, (acc >> 2) as u8]),
        _ => return None,
    }
    if padding > 2 {
        return None;
    }
    Some(out)
}

/// Width and height in pixels from a PNG, JPEG or GIF header.
pub fn image_size(bytes: &[u8]) -> Option<(u32, u32)> {
    png_size(bytes)
        .or_else(|| gif_size(bytes))
        .or_else(|| jpeg_size(bytes))
}

fn be32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

fn be16(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u16::from_be_bytes(bytes.get(at..at + 2)?.try_into().ok()?).into())
}

/// PNG: the signature, then the IHDR chunk with width and height.
fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    if !bytes.starts_with(b"\x89PNG\r\n\x1a\n") || bytes.get(12..16)? != b"IHDR" {
        return None;
    }
    Some((be32(bytes, 16)?, be32(bytes, 20)?))
}

/// GIF: `GIF87a`/`GIF89a`, then the logical screen width and height (little-endian).
fn gif_size(bytes: &[u8]) -> Option<(u32, u32)> {
    if !(bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a")) {
        return None;
    }
    let le16 = |at: usize| -> Option<u32> {
        Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?).into())
    };
    Some((le16(6)?, le16(8)?))
}

/// JPEG: walk the segments up to a start-of-frame marker, which holds height then width.
fn jpeg_size(bytes: &[u8]) -> Option<(u32, u32)> {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut at = 2;
    loop {
        // Markers may be padded with extra 0xFF bytes.
        while *bytes.get(at)? == 0xFF && *bytes.get(at + 1)? == 0xFF {
            at += 1;
        }
        if *bytes.get(at)? != 0xFF {
            return None;
        }
        let marker = *bytes.get(at + 1)?;
        match marker {
            // Standalone markers without a length.
            0x01 | 0xD0..=0xD7 => {
                at += 2;
                continue;
            }
            0xD9 | 0xDA => return None,
            _ => {}
        }
        let length = usize::try_from(be16(bytes, at + 2)?).ok()?;
        let is_frame = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if is_frame {
            let height = be16(bytes, at + 5)?;
            let width = be16(bytes, at + 7)?;
            return Some((width, height));
        }
        if length < 2 {
            return None;
        }
        at += 2 + length;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notebook::json::parse;

    fn texts(outputs: &str) -> Vec<String> {
        let value = parse(outputs).unwrap();
        account(value.as_array().unwrap())
            .into_iter()
            .map(|l| l.text)
            .collect()
    }

    // Made with Python's standard library (zlib, struct, base64): a valid 3x2 RGB PNG, a 5x4
    // GIF89a, and a JPEG header (SOI, APP0, a comment, SOF0 for 7x6, EOI).
    const PNG_3X2: &str = "iVBORw0KGgoAAAANSUhEUgAAAAMAAAACCAIAAAASFvFNAAAAC0lEQVR4nGNgwAQAABQAAX3+Hu4AAAAASUVORK5CYII=";
    const GIF_5X4: &str = "R0lGODlhBQAEAAAAACwAAAAABQAEAAACAkQBADs=";
    const JPEG_7X6: &str = "/9j/4AAQSkZJRgABAQAAAQABAAD//gANbmJteXN0IHRlc3T/wAALCAAGAAcBAREA/9k=";

    #[test]
    fn image_sizes_from_headers() {
        let size = |b64: &str| image_size(&decode_base64(b64).unwrap());
        assert_eq!(size(PNG_3X2), Some((3, 2)));
        assert_eq!(size(GIF_5X4), Some((5, 4)));
        assert_eq!(size(JPEG_7X6), Some((7, 6)));
        assert_eq!(image_size(b"not an image"), None);
        assert_eq!(image_size(b"\xff\xd8\xff"), None);
        assert_eq!(image_size(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0"), None);
    }

    #[test]
    fn base64_with_line_breaks_and_padding() {
        assert_eq!(decode_base64("aGVs\nbG8=\n").unwrap(), b"hello");
        assert_eq!(decode_base64("aGVsbG8").unwrap(), b"hello");
        assert_eq!(decode_base64(""), Some(Vec::new()));
        assert_eq!(decode_base64("a"), None);
        assert_eq!(decode_base64("aG=Vs"), None);
        assert_eq!(decode_base64("a*bc"), None);
    }

    #[test]
    fn escapes_and_carriage_returns() {
        assert_eq!(
            clean_line("\x1b[0;31mZeroDivisionError\x1b[0m"),
            "ZeroDivisionError"
        );
        assert_eq!(clean_line(" 10%\r 50%\r100%"), "100%");
        assert_eq!(clean_line("done\r"), "done");
        assert_eq!(
            clean_line("\x1b]0;title\x07text\x1b]8;;http://x\x1b\\link"),
            "textlink"
        );
        assert_eq!(clean_line("a\tb\x08c\x1b"), "a\tbc");
    }

    #[test]
    fn account_of_each_output_kind() {
        let outputs = format!(
            r#"[
            {{"output_type": "stream", "name": "stdout", "text": "v2=2\n\nend\n"}},
            {{"output_type": "execute_result", "execution_count": 3, "metadata": {{}},
              "data": {{"text/plain": "42", "text/html": "<b>42</b>"}}}},
            {{"output_type": "display_data", "metadata": {{"needs_background": "light"}},
              "data": {{"image/png": "{PNG_3X2}", "text/plain": "<Figure size 3x2>"}}}},
            {{"output_type": "error", "ename": "ZeroDivisionError", "evalue": "division by zero",
              "traceback": ["\u001b[0;31m---------\u001b[0m", "Line 1\nLine 2"]}},
            {{"output_type": "mystery", "x": 1}}
        ]"#
        );
        let png_bytes = decode_base64(PNG_3X2).unwrap();
        assert_eq!(
            texts(&outputs),
            [
                "stream stdout".to_owned(),
                "  | v2=2".to_owned(),
                "  |".to_owned(),
                "  | end".to_owned(),
                "execute_result text/plain text/html".to_owned(),
                "  | 42".to_owned(),
                format!("  text/html, 9 bytes, sha256 {}", short_hash(b"<b>42</b>")),
                "display_data image/png text/plain".to_owned(),
                format!(
                    "  image/png, 3x2, {} bytes, sha256 {}",
                    png_bytes.len(),
                    short_hash(&png_bytes)
                ),
                "  | <Figure size 3x2>".to_owned(),
                "  metadata {\"needs_background\": \"light\"}".to_owned(),
                "error ZeroDivisionError".to_owned(),
                "  | ---------".to_owned(),
                "  | Line 1".to_owned(),
                "  | Line 2".to_owned(),
                format!(
                    "mystery, {}",
                    size_and_hash(br#"{"output_type": "mystery", "x": 1}"#)
                ),
            ]
        );
    }

    #[test]
    fn short_hash_is_sha256() {
        // `printf abc | sha256sum`
        assert_eq!(short_hash(b"abc"), "ba7816bf");
    }
}
