//! Our YAML emitter: PyYAML 6.0's `SafeDumper` layout for JSON-like trees (indent 2, width 80,
//! keys in insertion order). Writing YAML byte-identical to PyYAML is what MyST byte identity
//! needs, so this is written here rather than taken from a crate.
//!
//! The rules are those of `spec/myst-format.md` §9. The emitter keeps the same three facts about
//! the last character written as PyYAML does (its column, whether it is white space, whether the
//! line so far is only indentation), because every layout decision (a space before an indicator,
//! a line break before an indentation, folding past column 80) depends on them. Columns count
//! code points, as Python's `len` does.

use crate::notebook::{Json, Map};

/// Which PyYAML dumper's layout to reproduce.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dumper {
    /// jupytext's `CompactDumper` with `allow_unicode=True`: lists of scalars in flow style
    /// (`[a, b]`), non-ASCII written as is. Used for the header and for cell options.
    Compact,
    /// `yaml.safe_dump(sort_keys=False)`: every list in block style, `allow_unicode` off.
    Safe,
}

/// Dump a mapping as a top-level block mapping; the text ends with `\n` (`{}\n` when empty).
pub fn dump_mapping(map: &Map, dumper: Dumper) -> String {
    let mut emitter = Emitter::new(dumper);
    emitter.document(Node::Map(map));
    emitter.out
}

/// Dump any value as a YAML document, as `yaml.dump` does for a top-level object of that type
/// (a top-level plain scalar is followed by the `...` end marker, as PyYAML writes it).
pub fn dump(value: &Json, dumper: Dumper) -> String {
    let mut emitter = Emitter::new(dumper);
    emitter.document(Node::Value(value));
    emitter.out
}

/// Python's `repr` of a float: the shortest digits that read back to the same value, in
/// positional notation when the decimal exponent is in `-4..16`, else as `d.ddde+XX`.
pub fn python_float_repr(value: f64) -> String {
    if value.is_nan() {
        return "nan".to_owned();
    }
    if value.is_infinite() {
        return if value > 0.0 { "inf" } else { "-inf" }.to_owned();
    }
    // `{:e}` gives the shortest round-trip digits as `-d.ddde-7`. When two strings of that length
    // read back to the value, Python takes the nearer one (half to even on a tie), which is the
    // correctly rounded one that `{:.Ne}` gives.
    let mut sci = format!("{value:e}");
    let digit_count = sci
        .split('e')
        .next()
        .unwrap_or("")
        .chars()
        .filter(char::is_ascii_digit)
        .count();
    if digit_count > 1 {
        let rounded = format!("{:.*e}", digit_count - 1, value);
        if rounded.parse::<f64>() == Ok(value) {
            sci = rounded;
        }
    }
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let (negative, mantissa) = match mantissa.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, mantissa),
    };
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    if !(-4..16).contains(&exponent) {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if exponent < 0 { '-' } else { '+' });
        out.push_str(&format!("{:02}", exponent.unsigned_abs()));
    } else if exponent < 0 {
        out.push_str("0.");
        for _ in 0..(-exponent - 1) {
            out.push('0');
        }
        out.push_str(&digits);
    } else {
        let int_len = exponent as usize + 1;
        if digits.len() <= int_len {
            out.push_str(&digits);
            for _ in digits.len()..int_len {
                out.push('0');
            }
            out.push_str(".0");
        } else {
            out.push_str(&digits[..int_len]);
            out.push('.');
            out.push_str(&digits[int_len..]);
        }
    }
    out
}

/// The first character of a mapping key that stands for a key that is not a string.
///
/// YAML front matter can have keys such as `1:`, `yes:` or `~:`, which PyYAML keeps as numbers,
/// booleans or `None`; jupytext writes them back that way (`1:`, `true:`, `null:`). A key made
/// by [`crate::myst::yaml_read::load_with`] with `mark_non_string_keys` is this character
/// followed by the text Python's `json` module writes for the key (`1`, `1.5`, `true`, `null`,
/// `NaN`), so that it stays apart from the string key of the same text, and the emitter writes
/// it as PyYAML writes the original value. It is the last private-use code point; a key that
/// starts with it but does not go on with such a text is an ordinary string.
pub const NON_STRING_KEY: char = '\u{10FFFD}';

/// The text Python's `json` module writes for a key marked with [`NON_STRING_KEY`] (`None` for
/// any other key).
pub fn non_string_key_json(key: &str) -> Option<&str> {
    let text = key.strip_prefix(NON_STRING_KEY)?;
    non_string_key_yaml(text).map(|_| text)
}

/// PyYAML's text for a key whose JSON text is `json` (a bool, `None`, an int or a float).
fn non_string_key_yaml(json: &str) -> Option<String> {
    match json {
        "true" | "false" | "null" => return Some(json.to_owned()),
        "NaN" => return Some(".nan".to_owned()),
        "Infinity" => return Some(".inf".to_owned()),
        "-Infinity" => return Some("-.inf".to_owned()),
        _ => {}
    }
    let digits = json.strip_prefix('-').unwrap_or(json);
    if digits.is_empty() {
        return None;
    }
    if digits.bytes().all(|b| b.is_ascii_digit()) {
        let canonical = digits == "0" || !digits.starts_with('0');
        return canonical.then(|| json.to_owned());
    }
    let float_chars = digits
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'+' | b'-'));
    let value: f64 = json.parse().ok().filter(|_| float_chars)?;
    (python_float_repr(value) == json).then(|| yaml_float(value))
}

/// The text PyYAML's `SafeRepresenter` gives a float.
fn yaml_float(value: f64) -> String {
    if value.is_nan() {
        return ".nan".to_owned();
    }
    if value.is_infinite() {
        return if value > 0.0 { ".inf" } else { "-.inf" }.to_owned();
    }
    let repr = python_float_repr(value);
    if !repr.contains('.') && repr.contains('e') {
        repr.replacen('e', ".0e", 1)
    } else {
        repr
    }
}

/// A mapping key's text as the emitter writes it, and whether the plain style may show it (a
/// key marked with [`NON_STRING_KEY`] is the number, boolean or null it stands for).
fn key_scalar(key: &str) -> (Vec<char>, bool) {
    match non_string_key_json(key).and_then(non_string_key_yaml) {
        Some(text) => (text.chars().collect(), true),
        None => (key.chars().collect(), !resolves_to_non_string(key)),
    }
}

/// Whether PyYAML's implicit resolvers (YAML 1.1) would read this plain scalar as something
/// other than a string: a bool, int, float, null, timestamp, merge key, `=` or `!`/`&`/`*`.
pub(crate) fn resolves_to_non_string(text: &str) -> bool {
    implicit_tag(text).is_some()
}

/// The tag PyYAML's implicit resolvers give a plain scalar, when it is not `str`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ImplicitTag {
    Bool,
    Float,
    Int,
    Merge,
    Null,
    Timestamp,
    Value,
    Yaml,
}

/// Match `text` against PyYAML's implicit resolvers, in their order of registration.
pub(crate) fn implicit_tag(text: &str) -> Option<ImplicitTag> {
    let b = text.as_bytes();
    if matches!(
        text,
        "yes"
            | "Yes"
            | "YES"
            | "no"
            | "No"
            | "NO"
            | "true"
            | "True"
            | "TRUE"
            | "false"
            | "False"
            | "FALSE"
            | "on"
            | "On"
            | "ON"
            | "off"
            | "Off"
            | "OFF"
    ) {
        return Some(ImplicitTag::Bool);
    }
    if is_yaml_float(b) {
        return Some(ImplicitTag::Float);
    }
    if is_yaml_int(b) {
        return Some(ImplicitTag::Int);
    }
    match text {
        "<<" => return Some(ImplicitTag::Merge),
        "" | "~" | "null" | "Null" | "NULL" => return Some(ImplicitTag::Null),
        _ => {}
    }
    if is_yaml_timestamp(b) {
        return Some(ImplicitTag::Timestamp);
    }
    match text {
        "=" => Some(ImplicitTag::Value),
        "!" | "&" | "*" => Some(ImplicitTag::Yaml),
        _ => None,
    }
}

fn skip_sign(b: &[u8]) -> &[u8] {
    match b.first() {
        Some(b'-' | b'+') => &b[1..],
        _ => b,
    }
}

/// Length of the longest prefix whose bytes all satisfy `pred`.
fn run_len(b: &[u8], pred: impl Fn(u8) -> bool) -> usize {
    b.iter().take_while(|c| pred(**c)).count()
}

fn is_digit_or_underscore(c: u8) -> bool {
    c.is_ascii_digit() || c == b'_'
}

/// `(:[0-5]?[0-9])+` followed by the end of `b`.
fn is_sexagesimal_tail(b: &[u8]) -> bool {
    match b.strip_prefix(b":") {
        Some(rest) => rest.split(|c| *c == b':').all(is_sexagesimal_part),
        None => false,
    }
}

fn is_sexagesimal_part(part: &[u8]) -> bool {
    match part {
        [d] => d.is_ascii_digit(),
        [a, d] => (b'0'..=b'5').contains(a) && d.is_ascii_digit(),
        _ => false,
    }
}

/// `[eE][-+][0-9]+` or nothing.
fn is_optional_exponent(b: &[u8]) -> bool {
    match b {
        [] => true,
        [b'e' | b'E', b'-' | b'+', rest @ ..] => {
            !rest.is_empty() && rest.iter().all(u8::is_ascii_digit)
        }
        _ => false,
    }
}

fn is_yaml_float(b: &[u8]) -> bool {
    let unsigned = skip_sign(b);
    // [-+]?[0-9][0-9_]*\.[0-9_]*([eE][-+][0-9]+)?
    if unsigned.first().is_some_and(u8::is_ascii_digit) {
        let int_len = run_len(unsigned, is_digit_or_underscore);
        let rest = &unsigned[int_len..];
        if let Some(after_dot) = rest.strip_prefix(b".") {
            let frac = run_len(after_dot, is_digit_or_underscore);
            if is_optional_exponent(&after_dot[frac..]) {
                return true;
            }
        }
        // [-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*
        if rest.first() == Some(&b':') {
            if let Some(dot) = rest.iter().position(|c| *c == b'.') {
                let frac = &rest[dot + 1..];
                if is_sexagesimal_tail(&rest[..dot])
                    && frac.iter().all(|c| is_digit_or_underscore(*c))
                {
                    return true;
                }
            }
        }
    }
    // \.[0-9][0-9_]*([eE][-+][0-9]+)?
    if let Some(after_dot) = b.strip_prefix(b".") {
        if after_dot.first().is_some_and(u8::is_ascii_digit) {
            let frac = run_len(after_dot, is_digit_or_underscore);
            if is_optional_exponent(&after_dot[frac..]) {
                return true;
            }
        }
    }
    // [-+]?\.(inf|Inf|INF) and \.(nan|NaN|NAN)
    matches!(unsigned, b".inf" | b".Inf" | b".INF") || matches!(b, b".nan" | b".NaN" | b".NAN")
}

fn is_yaml_int(b: &[u8]) -> bool {
    let u = skip_sign(b);
    if let Some(rest) = u.strip_prefix(b"0b") {
        if !rest.is_empty() && rest.iter().all(|c| matches!(c, b'0' | b'1' | b'_')) {
            return true;
        }
    }
    if let Some(rest) = u.strip_prefix(b"0") {
        if !rest.is_empty() && rest.iter().all(|c| matches!(c, b'0'..=b'7' | b'_')) {
            return true;
        }
    }
    if u == b"0" {
        return true;
    }
    if u.first().is_some_and(|c| (b'1'..=b'9').contains(c)) {
        let int_len = run_len(u, is_digit_or_underscore);
        if int_len == u.len() || is_sexagesimal_tail(&u[int_len..]) {
            return true;
        }
    }
    if let Some(rest) = u.strip_prefix(b"0x") {
        if !rest.is_empty() && rest.iter().all(|c| c.is_ascii_hexdigit() || *c == b'_') {
            return true;
        }
    }
    false
}

/// Exactly `n` ASCII digits at the start of `b`.
fn digits(b: &[u8], n: usize) -> bool {
    b.len() >= n && b[..n].iter().all(u8::is_ascii_digit)
}

fn is_yaml_timestamp(b: &[u8]) -> bool {
    // [0-9]{4}-[0-9][0-9]-[0-9][0-9]
    if b.len() == 10
        && digits(b, 4)
        && b[4] == b'-'
        && digits(&b[5..], 2)
        && b[7] == b'-'
        && digits(&b[8..], 2)
    {
        return true;
    }
    // [0-9]{4}-[0-9][0-9]?-[0-9][0-9]?([Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](\.[0-9]*)?
    //   ([ \t]*(Z|[-+][0-9][0-9]?(:[0-9][0-9])?))?
    if !(digits(b, 4) && b.get(4) == Some(&b'-')) {
        return false;
    }
    let mut i = 5;
    let one_or_two_digits = |i: &mut usize| -> bool {
        let n = run_len(&b[*i..], |c| c.is_ascii_digit()).min(2);
        *i += n;
        n > 0
    };
    if !one_or_two_digits(&mut i) || b.get(i) != Some(&b'-') {
        return false;
    }
    i += 1;
    if !one_or_two_digits(&mut i) {
        return false;
    }
    match b.get(i) {
        Some(b'T' | b't') => i += 1,
        Some(b' ' | b'\t') => i += run_len(&b[i..], |c| c == b' ' || c == b'\t'),
        _ => return false,
    }
    if !one_or_two_digits(&mut i) || b.get(i) != Some(&b':') || !digits(&b[i + 1..], 2) {
        return false;
    }
    i += 3;
    if b.get(i) != Some(&b':') || !digits(&b[i + 1..], 2) {
        return false;
    }
    i += 3;
    if b.get(i) == Some(&b'.') {
        i += 1 + run_len(&b[i + 1..], |c| c.is_ascii_digit());
    }
    if i == b.len() {
        return true;
    }
    i += run_len(&b[i..], |c| c == b' ' || c == b'\t');
    match b.get(i) {
        Some(b'Z') => i + 1 == b.len(),
        Some(b'-' | b'+') => {
            i += 1;
            if !one_or_two_digits(&mut i) {
                return false;
            }
            i == b.len() || (b[i] == b':' && b.len() == i + 3 && digits(&b[i + 1..], 2))
        }
        _ => false,
    }
}

/// A node to emit: the top-level mapping, or a value inside it.
#[derive(Clone, Copy)]
enum Node<'a> {
    Map(&'a Map),
    Value(&'a Json),
}

/// What [`analyze`] finds out about a string (PyYAML's `ScalarAnalysis`).
#[derive(Clone, Copy, Debug)]
struct Analysis {
    empty: bool,
    multiline: bool,
    allow_flow_plain: bool,
    allow_block_plain: bool,
    allow_single_quoted: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Single,
    Double,
}

/// Where a node sits, which decides its scalar style and sequence indentation.
#[derive(Clone, Copy, Default)]
struct Context {
    root: bool,
    mapping: bool,
    simple_key: bool,
}

fn is_break(c: char) -> bool {
    matches!(c, '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn is_space_like(c: char) -> bool {
    matches!(
        c,
        '\0' | ' ' | '\t' | '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// Characters PyYAML writes as they are when `allow_unicode` is on.
fn is_printable_unicode(c: char) -> bool {
    matches!(c, '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..='\u{10fffe}')
        && c != '\u{feff}'
}

fn analyze(text: &[char], allow_unicode: bool) -> Analysis {
    if text.is_empty() {
        return Analysis {
            empty: true,
            multiline: false,
            allow_flow_plain: false,
            allow_block_plain: true,
            allow_single_quoted: true,
        };
    }
    let n = text.len();
    let mut block_indicators =
        text.starts_with(&['-', '-', '-']) || text.starts_with(&['.', '.', '.']);
    let mut flow_indicators = block_indicators;
    let mut line_breaks = false;
    let mut special = false;
    let (mut leading_space, mut leading_break, mut trailing_space, mut trailing_break) =
        (false, false, false, false);
    let (mut break_space, mut space_break) = (false, false);
    let (mut previous_space, mut previous_break) = (false, false);
    for (i, &c) in text.iter().enumerate() {
        let preceded_by_space = i == 0 || is_space_like(text[i - 1]);
        let followed_by_space = i + 1 >= n || is_space_like(text[i + 1]);
        if i == 0 {
            if "#,[]{}&*!|>'\"%@`".contains(c) {
                flow_indicators = true;
                block_indicators = true;
            }
            if c == '?' || c == ':' {
                flow_indicators = true;
                if followed_by_space {
                    block_indicators = true;
                }
            }
            if c == '-' && followed_by_space {
                flow_indicators = true;
                block_indicators = true;
            }
        } else {
            if ",?[]{}".contains(c) {
                flow_indicators = true;
            }
            if c == ':' {
                flow_indicators = true;
                if followed_by_space {
                    block_indicators = true;
                }
            }
            if c == '#' && preceded_by_space {
                flow_indicators = true;
                block_indicators = true;
            }
        }
        if is_break(c) {
            line_breaks = true;
        }
        if !(c == '\n' || (' '..='~').contains(&c) || (allow_unicode && is_printable_unicode(c))) {
            special = true;
        }
        if c == ' ' {
            leading_space |= i == 0;
            trailing_space |= i == n - 1;
            break_space |= previous_break;
            previous_space = true;
            previous_break = false;
        } else if is_break(c) {
            leading_break |= i == 0;
            trailing_break |= i == n - 1;
            space_break |= previous_space;
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
    }
    let mut a = Analysis {
        empty: false,
        multiline: line_breaks,
        allow_flow_plain: true,
        allow_block_plain: true,
        allow_single_quoted: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.allow_flow_plain = false;
        a.allow_block_plain = false;
    }
    if break_space {
        a.allow_flow_plain = false;
        a.allow_block_plain = false;
        a.allow_single_quoted = false;
    }
    if space_break || special {
        a.allow_flow_plain = false;
        a.allow_block_plain = false;
        a.allow_single_quoted = false;
    }
    if line_breaks || flow_indicators {
        a.allow_flow_plain = false;
    }
    if line_breaks || block_indicators {
        a.allow_block_plain = false;
    }
    a
}

/// The length a key may not reach to be written as a simple key: PyYAML counts the key's
/// characters plus its tag as it would write it (`!!str`, five characters) against 128.
const SIMPLE_KEY_LIMIT: usize = 128 - "!!str".len();

/// Line width past which PyYAML folds.
const BEST_WIDTH: usize = 80;

/// Indentation step.
const BEST_INDENT: usize = 2;

struct Emitter {
    out: String,
    allow_unicode: bool,
    compact: bool,
    column: usize,
    /// The last character written is white space (or nothing was written on this line).
    whitespace: bool,
    /// The line so far holds only indentation and `-`, `?`, `:` indicators.
    indention: bool,
    flow_level: usize,
    open_ended: bool,
}

impl Emitter {
    fn new(dumper: Dumper) -> Self {
        Emitter {
            out: String::new(),
            allow_unicode: dumper == Dumper::Compact,
            compact: dumper == Dumper::Compact,
            column: 0,
            whitespace: true,
            indention: true,
            flow_level: 0,
            open_ended: false,
        }
    }

    fn document(&mut self, root: Node<'_>) {
        self.node(
            root,
            None,
            Context {
                root: true,
                ..Context::default()
            },
        );
        self.write_indent(0);
        if self.open_ended {
            self.write_indicator("...", true, false, false);
            self.write_indent(0);
        }
    }

    fn write_raw(&mut self, text: &str) {
        self.column += text.chars().count();
        self.out.push_str(text);
    }

    fn write_chars(&mut self, text: &[char]) {
        self.column += text.len();
        self.out.extend(text.iter());
    }

    fn write_indicator(
        &mut self,
        indicator: &str,
        need_whitespace: bool,
        whitespace: bool,
        indention: bool,
    ) {
        if !self.whitespace && need_whitespace {
            self.write_raw(" ");
        }
        self.write_raw(indicator);
        self.whitespace = whitespace;
        self.indention = self.indention && indention;
        self.open_ended = false;
    }

    fn write_indent(&mut self, indent: usize) {
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.write_line_break("\n");
        }
        if self.column < indent {
            self.whitespace = true;
            let pad = " ".repeat(indent - self.column);
            self.write_raw(&pad);
        }
    }

    fn write_line_break(&mut self, text: &str) {
        self.whitespace = true;
        self.indention = true;
        self.column = 0;
        self.out.push_str(text);
    }

    /// Emit a node whose parent has indentation `parent` (`None` at the top level).
    fn node(&mut self, node: Node<'_>, parent: Option<usize>, ctx: Context) {
        match node {
            Node::Map(map) => self.mapping(map, parent),
            Node::Value(Json::Object(map)) => self.mapping(map, parent),
            Node::Value(Json::Array(items)) => {
                let flow =
                    self.compact && !items.iter().any(|item| matches!(item, Json::Object(_)));
                if self.flow_level > 0 || flow || items.is_empty() {
                    self.flow_sequence(items, parent);
                } else {
                    self.block_sequence(items, parent, ctx);
                }
            }
            Node::Value(Json::Str(text)) => {
                let chars: Vec<char> = text.chars().collect();
                let plain_ok = !resolves_to_non_string(text);
                self.scalar(&chars, plain_ok, parent, ctx);
            }
            Node::Value(other) => {
                let text = match other {
                    Json::Null => "null".to_owned(),
                    Json::Bool(true) => "true".to_owned(),
                    Json::Bool(false) => "false".to_owned(),
                    Json::Int(digits) => digits.clone(),
                    Json::Float(f) => yaml_float(*f),
                    _ => String::new(),
                };
                let chars: Vec<char> = text.chars().collect();
                self.scalar(&chars, true, parent, ctx);
            }
        }
    }

    fn mapping(&mut self, map: &Map, parent: Option<usize>) {
        if self.flow_level > 0 || map.is_empty() {
            self.flow_mapping(map, parent);
        } else {
            self.block_mapping(map, parent);
        }
    }

    fn child_indent(parent: Option<usize>, flow: bool) -> usize {
        match parent {
            None if flow => BEST_INDENT,
            None => 0,
            Some(i) => i + BEST_INDENT,
        }
    }

    fn is_simple_key(key: &[char], analysis: &Analysis) -> bool {
        key.len() < SIMPLE_KEY_LIMIT && !analysis.empty && !analysis.multiline
    }

    fn flow_sequence(&mut self, items: &[Json], parent: Option<usize>) {
        self.write_indicator("[", true, true, false);
        self.flow_level += 1;
        let indent = Self::child_indent(parent, true);
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.write_indicator(",", false, false, false);
            }
            if self.column > BEST_WIDTH {
                self.write_indent(indent);
            }
            self.node(Node::Value(item), Some(indent), Context::default());
        }
        self.flow_level -= 1;
        self.write_indicator("]", false, false, false);
    }

    fn flow_mapping(&mut self, map: &Map, parent: Option<usize>) {
        self.write_indicator("{", true, true, false);
        self.flow_level += 1;
        let indent = Self::child_indent(parent, true);
        let key_ctx = Context {
            mapping: true,
            ..Context::default()
        };
        for (i, (key, value)) in map.iter().enumerate() {
            if i > 0 {
                self.write_indicator(",", false, false, false);
            }
            if self.column > BEST_WIDTH {
                self.write_indent(indent);
            }
            let (chars, plain_ok) = key_scalar(key);
            let analysis = analyze(&chars, self.allow_unicode);
            if Self::is_simple_key(&chars, &analysis) {
                self.scalar(
                    &chars,
                    plain_ok,
                    Some(indent),
                    Context {
                        simple_key: true,
                        ..key_ctx
                    },
                );
                self.write_indicator(":", false, false, false);
            } else {
                self.write_indicator("?", true, false, false);
                self.scalar(&chars, plain_ok, Some(indent), key_ctx);
                if self.column > BEST_WIDTH {
                    self.write_indent(indent);
                }
                self.write_indicator(":", true, false, false);
            }
            self.node(Node::Value(value), Some(indent), key_ctx);
        }
        self.flow_level -= 1;
        self.write_indicator("}", false, false, false);
    }

    fn block_sequence(&mut self, items: &[Json], parent: Option<usize>, ctx: Context) {
        let indentless = ctx.mapping && !self.indention;
        let indent = match parent {
            None => 0,
            Some(i) if indentless => i,
            Some(i) => i + BEST_INDENT,
        };
        for item in items {
            self.write_indent(indent);
            self.write_indicator("-", true, false, true);
            self.node(Node::Value(item), Some(indent), Context::default());
        }
    }

    fn block_mapping(&mut self, map: &Map, parent: Option<usize>) {
        let indent = Self::child_indent(parent, false);
        let key_ctx = Context {
            mapping: true,
            ..Context::default()
        };
        for (key, value) in map {
            self.write_indent(indent);
            let (chars, plain_ok) = key_scalar(key);
            let analysis = analyze(&chars, self.allow_unicode);
            if Self::is_simple_key(&chars, &analysis) {
                self.scalar(
                    &chars,
                    plain_ok,
                    Some(indent),
                    Context {
                        simple_key: true,
                        ..key_ctx
                    },
                );
                self.write_indicator(":", false, false, false);
            } else {
                self.write_indicator("?", true, false, true);
                self.scalar(&chars, plain_ok, Some(indent), key_ctx);
                self.write_indent(indent);
                self.write_indicator(":", true, false, true);
            }
            self.node(Node::Value(value), Some(indent), key_ctx);
        }
    }

    /// Emit a scalar; `plain_ok` is false for a string that would read back as another type.
    fn scalar(&mut self, text: &[char], plain_ok: bool, parent: Option<usize>, ctx: Context) {
        let indent = Self::child_indent(parent, true);
        let a = analyze(text, self.allow_unicode);
        let plain_allowed = if self.flow_level > 0 {
            a.allow_flow_plain
        } else {
            a.allow_block_plain
        };
        let style = if plain_ok && !(ctx.simple_key && (a.empty || a.multiline)) && plain_allowed {
            Style::Plain
        } else if a.allow_single_quoted && !(ctx.simple_key && a.multiline) {
            Style::Single
        } else {
            Style::Double
        };
        let split = !ctx.simple_key;
        match style {
            Style::Plain => {
                if ctx.root {
                    self.open_ended = true;
                }
                self.write_plain(text, split, indent);
            }
            Style::Single => self.write_single_quoted(text, split, indent),
            Style::Double => self.write_double_quoted(text, split, indent),
        }
    }

    fn write_plain(&mut self, text: &[char], split: bool, indent: usize) {
        if text.is_empty() {
            return;
        }
        if !self.whitespace {
            self.write_raw(" ");
        }
        self.whitespace = false;
        self.indention = false;
        // Plain scalars never hold line breaks (the analysis forbids them), only spaces.
        let mut start = 0;
        while start < text.len() {
            let is_space = text[start] == ' ';
            let end = start
                + text[start..]
                    .iter()
                    .take_while(|c| (**c == ' ') == is_space)
                    .count();
            if is_space && end == start + 1 && self.column > BEST_WIDTH && split {
                self.write_indent(indent);
                self.whitespace = false;
                self.indention = false;
            } else {
                self.write_chars(&text[start..end]);
            }
            start = end;
        }
    }

    fn write_single_quoted(&mut self, text: &[char], split: bool, indent: usize) {
        self.write_indicator("'", true, false, false);
        let n = text.len();
        let mut start = 0;
        while start < n {
            let c = text[start];
            if c == ' ' {
                let end = start + run_of(&text[start..], |c| c == ' ');
                if end == start + 1 && self.column > BEST_WIDTH && split && start != 0 && end != n {
                    self.write_indent(indent);
                } else {
                    self.write_chars(&text[start..end]);
                }
                start = end;
            } else if is_break(c) {
                let end = start + run_of(&text[start..], is_break);
                if c == '\n' {
                    self.write_line_break("\n");
                }
                for &br in &text[start..end] {
                    let mut buf = [0u8; 4];
                    self.write_line_break(br.encode_utf8(&mut buf));
                }
                self.write_indent(indent);
                start = end;
            } else if c == '\'' {
                self.write_raw("''");
                start += 1;
            } else {
                let end =
                    start + run_of(&text[start..], |c| !(c == ' ' || c == '\'' || is_break(c)));
                self.write_chars(&text[start..end]);
                start = end;
            }
        }
        self.write_indicator("'", false, false, false);
    }

    fn needs_escape(&self, c: char) -> bool {
        matches!(
            c,
            '"' | '\\' | '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}'
        ) || !((' '..='~').contains(&c)
            || (self.allow_unicode && matches!(c, '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')))
    }

    fn write_double_quoted(&mut self, text: &[char], split: bool, indent: usize) {
        self.write_indicator("\"", true, false, false);
        let n = text.len();
        let mut start = 0;
        for end in 0..=n {
            let ch = text.get(end).copied();
            if ch.is_none_or(|c| self.needs_escape(c)) {
                if start < end {
                    self.write_chars(&text[start..end]);
                    start = end;
                }
                if let Some(c) = ch {
                    let escape = escape_char(c);
                    self.write_raw(&escape);
                    start = end + 1;
                }
            }
            if 0 < end
                && end + 1 < n
                && (ch == Some(' ') || start >= end)
                // `start` may be `end + 1` after an escape: the pending length is then -1.
                && self.column + end > BEST_WIDTH + start
                && split
            {
                if start < end {
                    self.write_chars(&text[start..end]);
                    start = end;
                }
                self.write_raw("\\");
                self.write_indent(indent);
                self.whitespace = false;
                self.indention = false;
                if text[start] == ' ' {
                    self.write_raw("\\");
                }
            }
        }
        self.write_indicator("\"", false, false, false);
    }
}

fn run_of(text: &[char], pred: impl Fn(char) -> bool) -> usize {
    text.iter().take_while(|c| pred(**c)).count()
}

fn escape_char(c: char) -> String {
    let short = match c {
        '\0' => "0",
        '\u{7}' => "a",
        '\u{8}' => "b",
        '\t' => "t",
        '\n' => "n",
        '\u{b}' => "v",
        '\u{c}' => "f",
        '\r' => "r",
        '\u{1b}' => "e",
        '"' => "\"",
        '\\' => "\\",
        '\u{85}' => "N",
        '\u{a0}' => "_",
        '\u{2028}' => "L",
        '\u{2029}' => "P",
        _ => "",
    };
    if !short.is_empty() {
        return format!("\\{short}");
    }
    let code = c as u32;
    if code <= 0xff {
        format!("\\x{code:02X}")
    } else if code <= 0xffff {
        format!("\\u{code:04X}")
    } else {
        format!("\\U{code:08X}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keys marked as not strings come out as PyYAML writes the original keys (expected text
    /// from `yaml.safe_dump({True: None, 1.5: 'y', ...}, sort_keys=False)`).
    #[test]
    fn non_string_keys() {
        let mark = |json: &str| format!("{NON_STRING_KEY}{json}");
        let map: Map = [
            (mark("true"), Json::Null),
            (mark("1.5"), s("y")),
            (mark("null"), s("n")),
            (mark("NaN"), s("q")),
            (mark("-Infinity"), s("i")),
            (mark("100000000000000000000"), s("b")),
            ("1".to_owned(), s("s")),
            (mark("1e+300"), s("f")),
            (mark("-7"), s("m")),
            ("true".to_owned(), s("t")),
            // Not a key text: an ordinary string.
            (mark("x"), s("o")),
        ]
        .into_iter()
        .collect();
        assert_eq!(
            dump_mapping(&map, Dumper::Safe),
            "true: null\n1.5: y\nnull: n\n.nan: q\n-.inf: i\n100000000000000000000: b\n'1': s\n\
             1.0e+300: f\n-7: m\n'true': t\n\"\\U0010FFFDx\": o\n"
        );
        assert_eq!(non_string_key_json(&mark("1e+300")), Some("1e+300"));
        assert_eq!(non_string_key_json(&mark("1e300")), None);
        assert_eq!(non_string_key_json(&mark("01")), None);
        assert_eq!(non_string_key_json("true"), None);
    }

    fn obj(pairs: &[(&str, Json)]) -> Map {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    fn s(text: &str) -> Json {
        Json::Str(text.to_owned())
    }

    #[test]
    fn float_repr_matches_python() {
        for (value, repr) in [
            (1e20, "1e+20"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (1e-7, "1e-07"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (-0.0, "-0.0"),
            (1.5, "1.5"),
            (3.0, "3.0"),
            (0.1, "0.1"),
            (123456.789, "123456.789"),
            (1.5e300, "1.5e+300"),
            (5e-324, "5e-324"),
            (f64::MAX, "1.7976931348623157e+308"),
            (f64::from_bits(4834242307346781753), "1595876701402510.2"),
        ] {
            assert_eq!(python_float_repr(value), repr);
        }
        assert_eq!(yaml_float(1e20), "1.0e+20");
        assert_eq!(yaml_float(f64::NAN), ".nan");
        assert_eq!(yaml_float(f64::NEG_INFINITY), "-.inf");
    }

    #[test]
    fn resolvers_follow_yaml_1_1() {
        for text in [
            "yes",
            "No",
            "1",
            "-1",
            "+1",
            "1.5",
            ".5",
            "1.0e+3",
            "0x1F",
            "017",
            "0b11",
            "1_000",
            "1:30",
            ".inf",
            "-.Inf",
            ".nan",
            "2020-01-01",
            "2020-01-01 10:00:00",
            "2020-1-1t1:00:00.5 +01:00",
            "<<",
            "=",
            "~",
            "",
            "1:30.5",
            "0",
            "00",
            "1.",
        ] {
            assert!(resolves_to_non_string(text), "{text}");
        }
        for text in [
            "y",
            "n",
            "1e3",
            "1.0e3",
            "0o17",
            "--a",
            "1:60",
            "08",
            ".e3",
            "+.nan",
            "2020-01-01x",
            "0b",
        ] {
            assert!(!resolves_to_non_string(text), "{text}");
        }
    }

    #[test]
    fn spec_layout_example() {
        let long_key = "k".repeat(128);
        let tags: Vec<Json> = (0..8)
            .map(|i| s(&format!("t{i:02}-long-tag-name")))
            .collect();
        let map = obj(&[
            ("dq", s("tab\tword word word word word word word word word word word word word word word word end")),
            (
                "flowsplit",
                Json::Array(
                    ["a,b", "a:b", "a: b", "a#b", "a #b", "?a", "a?", "-a", "- a", "[x]", "x]", "{", "a b"]
                        .iter()
                        .map(|t| s(t))
                        .collect(),
                ),
            ),
            ("folded", s("word word word word word word word word word word word word word word word word word end")),
            (&long_key, Json::Int("1".into())),
            (
                "lists",
                Json::Array(vec![
                    Json::Array(vec![Json::Object(obj(&[("a", Json::Int("1".into()))]))]),
                    Json::Object(obj(&[("b", Json::Int("1".into()))])),
                    Json::Array(vec![Json::Array(vec![Json::Int("1".into())])]),
                ]),
            ),
            ("multi", s("line one\nline two\n\nline four")),
            (
                "nested",
                Json::Object(obj(&[
                    (
                        "b",
                        Json::Array(vec![Json::Object(obj(&[
                            ("x", Json::Int("1".into())),
                            ("y", Json::Array(vec![Json::Int("1".into()), Json::Int("2".into())])),
                        ]))]),
                    ),
                    ("c", Json::Object(obj(&[("d", Json::Null)]))),
                ])),
            ),
            ("quoted", s("it's 'quoted'")),
            ("tags", Json::Array(tags)),
        ]);
        let expected = format!(
            "dq: \"tab\\tword word word word word word word word word word word word word word word\\\n  \\ word end\"\n\
flowsplit: ['a,b', 'a:b', 'a: b', a#b, 'a #b', '?a', 'a?', -a, '- a', '[x]', 'x]',\n  '{{', a b]\n\
folded: word word word word word word word word word word word word word word word\n  word word end\n\
? {long_key}\n: 1\n\
lists:\n- - a: 1\n- b: 1\n- [[1]]\n\
multi: 'line one\n\n  line two\n\n\n  line four'\n\
nested:\n  b:\n  - x: 1\n    y: [1, 2]\n  c:\n    d: null\n\
quoted: it's 'quoted'\n\
tags: [t00-long-tag-name, t01-long-tag-name, t02-long-tag-name, t03-long-tag-name,\n  t04-long-tag-name, t05-long-tag-name, t06-long-tag-name, t07-long-tag-name]\n"
        );
        assert_eq!(dump_mapping(&map, Dumper::Compact), expected);
    }

    #[test]
    fn empty_and_top_level_scalars() {
        assert_eq!(dump_mapping(&Map::new(), Dumper::Compact), "{}\n");
        assert_eq!(dump(&s("a"), Dumper::Safe), "a\n...\n");
        assert_eq!(dump(&s("yes"), Dumper::Safe), "'yes'\n");
        // Checked with PyYAML 6.0.4 (`yaml.dump` with jupytext's CompactDumper, `safe_dump`).
        let one_two = Json::Array(vec![Json::Int("1".into()), Json::Int("2".into())]);
        let nested_empty = Json::Array(vec![Json::Array(vec![])]);
        let list_of_map = Json::Array(vec![Json::Object(obj(&[("a", Json::Int("1".into()))]))]);
        let cases = [
            (&one_two, "[1, 2]\n", "- 1\n- 2\n"),
            (&Json::Null, "null\n...\n", "null\n...\n"),
            (&s("a b"), "a b\n...\n", "a b\n...\n"),
            (&s(""), "''\n", "''\n"),
            (&list_of_map, "- a: 1\n", "- a: 1\n"),
            (&Json::Float(1.5), "1.5\n...\n", "1.5\n...\n"),
            (&nested_empty, "[[]]\n", "- []\n"),
        ];
        for (value, compact, safe) in cases {
            assert_eq!(dump(value, Dumper::Compact), compact, "{value:?}");
            assert_eq!(dump(value, Dumper::Safe), safe, "{value:?}");
        }
    }

    #[test]
    fn safe_dumper_uses_block_lists_and_escapes() {
        let map = obj(&[
            ("author", Json::Array(vec![s("A"), s("B")])),
            ("title", s("Caf\u{e9}")),
        ]);
        assert_eq!(
            dump_mapping(&map, Dumper::Safe),
            "author:\n- A\n- B\ntitle: \"Caf\\xE9\"\n"
        );
    }
}
