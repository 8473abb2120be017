//! Helpers for the MyST writer tests: notebooks built from the spec's JSON snippets.

use nbmyst::myst::write::{write, WriteOptions};
use nbmyst::notebook::{Cell, CellType, Json, Map, Notebook};

/// A notebook from the spec's notation: notebook metadata as a JSON object, cells as a JSON list
/// of `{"cell_type", "source", "metadata"}` objects.
pub fn notebook(metadata: &str, cells: &str) -> Notebook {
    let Json::Object(metadata) = parse_json(metadata) else {
        panic!("notebook metadata must be an object: {metadata}");
    };
    let Json::Array(cells) = parse_json(cells) else {
        panic!("cells must be a list: {cells}");
    };
    let cells = cells
        .into_iter()
        .map(|cell| {
            let Json::Object(mut cell) = cell else {
                panic!("a cell must be an object");
            };
            let cell_type = match cell.get("cell_type") {
                Some(Json::Str(t)) if t == "markdown" => CellType::Markdown,
                Some(Json::Str(t)) if t == "code" => CellType::Code,
                Some(Json::Str(t)) if t == "raw" => CellType::Raw,
                other => panic!("unknown cell type {other:?}"),
            };
            let source = match cell.shift_remove("source") {
                Some(Json::Str(s)) => s,
                Some(Json::Array(lines)) => lines
                    .into_iter()
                    .map(|l| match l {
                        Json::Str(s) => s,
                        _ => panic!("source lines must be strings"),
                    })
                    .collect(),
                _ => String::new(),
            };
            let mut built = Cell::new(cell_type, source);
            if let Some(Json::Object(metadata)) = cell.shift_remove("metadata") {
                built.metadata = metadata;
            }
            built
        })
        .collect();
    Notebook {
        nbformat: 4,
        nbformat_minor: 5,
        metadata,
        cells,
        extra: Map::new(),
    }
}

/// The writer with no configuration and no destination (jupytext's Python API; the same as the
/// command line when `formats` is absent or lists `md`).
pub fn write_default(nb: &Notebook) -> String {
    write(nb, &WriteOptions::default()).expect("the writer accepts this notebook")
}

/// A small JSON reader for test inputs (Python `json.loads` on the spec's snippets).
pub fn parse_json(text: &str) -> Json {
    let mut parser = Parser {
        chars: text.chars().collect(),
        pos: 0,
    };
    let value = parser.value();
    parser.ws();
    assert_eq!(parser.pos, parser.chars.len(), "trailing text in {text}");
    value
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
}

impl Parser {
    fn ws(&mut self) {
        while self.pos < self.chars.len() && self.chars[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
    }

    fn next(&mut self) -> char {
        let c = self.chars[self.pos];
        self.pos += 1;
        c
    }

    fn eat(&mut self, word: &str) -> bool {
        let end = self.pos + word.chars().count();
        if end <= self.chars.len() && self.chars[self.pos..end].iter().copied().eq(word.chars()) {
            self.pos = end;
            true
        } else {
            false
        }
    }

    fn value(&mut self) -> Json {
        self.ws();
        if self.eat("null") {
            return Json::Null;
        }
        if self.eat("true") {
            return Json::Bool(true);
        }
        if self.eat("false") {
            return Json::Bool(false);
        }
        if self.eat("NaN") {
            return Json::Float(f64::NAN);
        }
        if self.eat("Infinity") {
            return Json::Float(f64::INFINITY);
        }
        if self.eat("-Infinity") {
            return Json::Float(f64::NEG_INFINITY);
        }
        match self.chars[self.pos] {
            '"' => Json::Str(self.string()),
            '[' => {
                self.pos += 1;
                let mut items = Vec::new();
                self.ws();
                if self.chars[self.pos] == ']' {
                    self.pos += 1;
                    return Json::Array(items);
                }
                loop {
                    items.push(self.value());
                    self.ws();
                    match self.next() {
                        ',' => continue,
                        ']' => return Json::Array(items),
                        c => panic!("unexpected {c:?} in list"),
                    }
                }
            }
            '{' => {
                self.pos += 1;
                let mut map = Map::new();
                self.ws();
                if self.chars[self.pos] == '}' {
                    self.pos += 1;
                    return Json::Object(map);
                }
                loop {
                    self.ws();
                    let key = self.string();
                    self.ws();
                    assert_eq!(self.next(), ':');
                    let value = self.value();
                    map.insert(key, value);
                    self.ws();
                    match self.next() {
                        ',' => continue,
                        '}' => return Json::Object(map),
                        c => panic!("unexpected {c:?} in object"),
                    }
                }
            }
            _ => {
                let start = self.pos;
                while self.pos < self.chars.len()
                    && matches!(
                        self.chars[self.pos],
                        '0'..='9' | '-' | '+' | '.' | 'e' | 'E'
                    )
                {
                    self.pos += 1;
                }
                let text: String = self.chars[start..self.pos].iter().collect();
                if text.contains(['.', 'e', 'E']) {
                    Json::Float(text.parse().expect("a float"))
                } else {
                    Json::Int(text.trim_start_matches('+').to_string())
                }
            }
        }
    }

    fn string(&mut self) -> String {
        assert_eq!(self.next(), '"');
        let mut out = String::new();
        let mut pending_high: Option<u32> = None;
        loop {
            let c = self.next();
            match c {
                '"' => return out,
                '\\' => {
                    let e = self.next();
                    let simple = match e {
                        '"' => Some('"'),
                        '\\' => Some('\\'),
                        '/' => Some('/'),
                        'b' => Some('\x08'),
                        'f' => Some('\x0c'),
                        'n' => Some('\n'),
                        'r' => Some('\r'),
                        't' => Some('\t'),
                        'u' => None,
                        _ => panic!("bad escape \\{e}"),
                    };
                    if let Some(s) = simple {
                        out.push(s);
                        continue;
                    }
                    let hex: String = (0..4).map(|_| self.next()).collect();
                    let unit = u32::from_str_radix(&hex, 16).expect("hex");
                    if (0xd800..0xdc00).contains(&unit) {
                        pending_high = Some(unit);
                    } else if (0xdc00..0xe000).contains(&unit) {
                        let high = pending_high.take().expect("a high surrogate first");
                        let code = 0x10000 + ((high - 0xd800) << 10) + (unit - 0xdc00);
                        out.push(char::from_u32(code).expect("a code point"));
                    } else {
                        out.push(char::from_u32(unit).expect("a code point"));
                    }
                }
                c => out.push(c),
            }
        }
    }
}
