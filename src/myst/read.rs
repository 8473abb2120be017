//! Reading MyST text into a notebook, as jupytext 1.19.6 reads `md:myst`
//! (`jupytext --to ipynb -o NAME.ipynb NAME.md`); the rules are `spec/myst-format.md` §10-§11.
//!
//! The pipeline:
//!
//! 1. Line endings become `\n` as Python's `open()` makes them (universal newlines).
//! 2. The text is tokenised the way markdown-it-py does it (module `blocks`); only top-level
//!    fences, `+++` block breaks and the front matter matter.
//! 3. jupytext's format detection decides whether the text is MyST at all ([`detect`]).
//! 4. The header becomes the notebook metadata, fenced `{code-cell}` / `{raw-cell}` blocks become
//!    cells, the text between them markdown cells; options and metadata are checked the way
//!    nbformat validates them.
//! 5. The header is shared out between the notebook metadata and a leading raw cell (§10.6),
//!    `jupytext.default_lexer` is added, and `jupytext.text_representation` is removed as the
//!    `.ipynb` writer removes it.
//!
//! YAML dates (`date: 2024-01-01`) have no JSON form: a date that would land in the notebook
//! metadata is an error (jupytext fails writing the `.ipynb`), one sent back to the leading raw
//! cell is written as PyYAML writes it.
//!
//! Not reproduced: jupytext's header sniff also reacts to a `coding:` line among the first two
//! lines and to a header wrapped in `<!-- -->`, both of its other Markdown format.
//!
//! Cell ids: jupytext gives every cell a fresh random id. The notebook returned here has
//! `id: None` on every cell (nbformat 4.5 all the same); ids are assigned when the notebook is
//! combined with a prior one or written.

mod blocks;
mod header;
mod text;
mod validate;

use self::blocks::{Block, BlockKind};
use self::text::{lstrip, rstrip, splitlines, strip, universal_newlines};
use crate::myst::yaml_read::{self, YamlError};
use crate::notebook::{Cell, CellType, Json, Map, Notebook};

/// The info string that opens a code cell.
pub const CODE_DIRECTIVE: &str = "{code-cell}";
/// The info string that opens a raw cell.
pub const RAW_DIRECTIVE: &str = "{raw-cell}";

/// Settings that come from outside the text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// The text is known to be MyST (an explicit `md:myst`, or the format of a pairing), so it is
    /// read as MyST even without a MyST header or cell fence. A header that names another format
    /// still wins, as in jupytext.
    pub assume_myst: bool,
    /// `root_level_metadata_filter` from the jupytext configuration (the header's own setting
    /// wins).
    pub root_level_metadata_filter: Option<String>,
    /// `root_level_metadata_as_raw_cell` from the jupytext configuration (the header's own
    /// setting wins; default true).
    pub root_level_metadata_as_raw_cell: Option<bool>,
}

/// What jupytext takes a `.md` text for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Format {
    /// MyST (`md:myst`).
    Myst,
    /// Another format: the name the header gives, or `md` (jupytext's plain Markdown).
    Other(String),
}

/// A notebook read from MyST, with what was noticed on the way.
#[derive(Clone, Debug, PartialEq)]
pub struct MystRead {
    /// The notebook as jupytext writes it to `.ipynb` (no cell ids, no
    /// `jupytext.text_representation`).
    pub notebook: Notebook,
    /// Constructs that do not survive a round trip, or that jupytext warns about.
    pub warnings: Vec<ReadWarning>,
    /// `jupytext.text_representation` as jupytext holds it after reading: the header's mapping
    /// (`format_version`, `jupytext_version`...) with `extension: .md` and `format_name: myst`
    /// set. The `.ipynb` writer drops it; sync uses it to check the format version.
    pub text_representation: Map,
}

/// A construct in the text that jupytext reads differently from what its writer meant, or that
/// it warns about. Lines are 1-based.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReadWarning {
    /// A cell fence closed by an indented fence line: jupytext's writer does not lengthen fences
    /// for indented backticks, so the rest of the cell was read as markdown.
    #[error("line {line}: the {kind} cell opened at line {open_line} ends at an indented fence; the lines after it are read as markdown")]
    IndentedClosingFence {
        kind: &'static str,
        open_line: usize,
        line: usize,
    },
    /// A fence that is never closed runs to the end of the file.
    #[error("line {line}: this fence is never closed and runs to the end of the file")]
    UnclosedFence { line: usize },
    /// A `+++` line that jupytext's writer would not produce (no blank line around it, or
    /// another spelling): most likely text of a markdown cell, now split in two.
    #[error("line {line}: `+++` inside markdown text starts a new cell")]
    BlockBreakInText { line: usize },
    /// `+++ {...}` metadata followed by no markdown text: jupytext drops it.
    #[error("line {line}: the metadata after `+++` is dropped: no markdown text follows it")]
    LostMarkdownMetadata { line: usize },
    /// A `{code-cell}` or `{raw-cell}` fence that is not at the top level (in a list, a block
    /// quote, an HTML block or another fence): it stays markdown text.
    #[error("line {line}: this cell fence is not at the top level and stays markdown text")]
    NestedCellFence { line: usize },
    /// A line separator other than `\n` (form feed, vertical tab, U+2028...): jupytext counts
    /// it as a line break when it slices markdown and markdown-it does not, so every later
    /// markdown cell is cut one line off.
    #[error("line {line}: the character {ch:?} shifts the lines of the markdown cells after it")]
    LineSeparator { line: usize, ch: char },
    /// Code cells name different languages; the first one is the notebook's.
    #[error("line {line}: code cell language `{lexer}` differs from the first one, `{first}`")]
    MixedLexers {
        line: usize,
        lexer: String,
        first: String,
    },
}

/// Why a text cannot be read as a MyST notebook. Lines and columns are 1-based.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("not valid UTF-8 (byte {offset})")]
    NotUtf8 { offset: usize },
    #[error("not a MyST notebook: jupytext reads it as `{format}` (no `format_name: myst` in the header and no `{{code-cell}}` or `{{raw-cell}}` fence)")]
    NotMyst { format: String },
    #[error("line {line}, column {column}: character {ch:?} is not allowed in a text with a YAML header")]
    UnacceptableCharacter {
        line: usize,
        column: usize,
        ch: char,
    },
    #[error("invalid YAML header (line {line}, column {column}): {message}")]
    HeaderYaml {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("the YAML header is {found}, not a mapping")]
    HeaderNotMapping { found: &'static str },
    #[error("invalid header: {message}")]
    InvalidHeader { message: String },
    #[error("the header sets `{key}` to null, which jupytext cannot read")]
    NullHeaderKey { key: String },
    #[error("the header value `{key}` is a date, which notebook metadata cannot hold (jupytext fails writing the .ipynb); quote it")]
    HeaderDate { key: String },
    #[error("the header key `{key}` is not a string, which notebook metadata cannot hold (jupytext fails reading it); quote it")]
    NonStringHeaderKey { key: String },
    #[error("{kind} cell {index} at line {line}: invalid YAML options (line {yaml_line}, column {column}): {message}")]
    CellOptionsYaml {
        kind: &'static str,
        index: usize,
        line: usize,
        yaml_line: usize,
        column: usize,
        message: String,
    },
    #[error("markdown cell {index} at line {line}: the metadata after `+++` is not valid JSON ({message})")]
    MarkdownMetadataJson {
        index: usize,
        line: usize,
        message: String,
    },
    #[error("markdown cell {index} at line {line}: the metadata after `+++` is {found}, not a JSON object")]
    MarkdownMetadataNotObject {
        index: usize,
        line: usize,
        found: &'static str,
    },
    #[error("{kind} cell {index} at line {line}: invalid metadata: {message}")]
    InvalidCellMetadata {
        kind: &'static str,
        index: usize,
        line: usize,
        message: String,
    },
}

/// Read a MyST text as jupytext does, with default options.
pub fn read(text: &str) -> Result<Notebook, ReadError> {
    read_with(text, &ReadOptions::default()).map(|read| read.notebook)
}

/// Read the bytes of a `.md` file (UTF-8, as jupytext opens it).
pub fn read_bytes(bytes: &[u8], opts: &ReadOptions) -> Result<MystRead, ReadError> {
    let text = std::str::from_utf8(bytes).map_err(|e| ReadError::NotUtf8 {
        offset: e.valid_up_to(),
    })?;
    read_with(text, opts)
}

/// How jupytext classifies a `.md` text read without an explicit format (§10.1): MyST when the
/// header says `jupytext.text_representation.format_name: myst` (with extension `.md`, or a
/// `formats` entry `md:myst`), or when there is no such header and some fence, at any depth,
/// opens with `{code-cell}` or `{raw-cell}`. Fails where jupytext fails (a text starting with
/// `---` whose first YAML document is invalid, or that holds a character YAML refuses).
pub fn detect(text: &str) -> Result<Format, ReadError> {
    let text = universal_newlines(text);
    let blocks = blocks::parse(&markdown_source(&text));
    header::detect(&text, &blocks, false)
}

/// Whether jupytext reads this `.md` text as MyST ([`detect`] succeeds with [`Format::Myst`]).
pub fn is_myst(text: &str) -> bool {
    matches!(detect(text), Ok(Format::Myst))
}

/// The 1-based line of the first git conflict marker: a line starting with `<<<<<<<`,
/// `|||||||` or `>>>>>>>` followed by a space or the line end, or a `=======` line between a
/// `<<<<<<<` line and a `>>>>>>>` line. (A lone `=======` is a Markdown heading underline.)
pub fn find_conflict_marker(text: &str) -> Option<usize> {
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let is_marker = |line: &str, mark: &str| {
        line.strip_prefix(mark)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
    };
    let mut opened: Option<usize> = None;
    for (i, line) in lines.iter().enumerate() {
        if is_marker(line, "<<<<<<<") || is_marker(line, "|||||||") || is_marker(line, ">>>>>>>") {
            return Some(opened.unwrap_or(i) + 1);
        }
        if *line == "=======" && opened.is_none() {
            let closes_later = lines[i + 1..].iter().any(|l| is_marker(l, ">>>>>>>"));
            let opens_before = lines[..i].iter().any(|l| is_marker(l, "<<<<<<<"));
            if closes_later && opens_before {
                opened = Some(i);
            }
        }
    }
    None
}

/// What markdown-it parses: the text plus `\n`, NUL replaced by U+FFFD.
fn markdown_source(text: &str) -> String {
    let mut src = text.replace('\0', "\u{fffd}");
    src.push('\n');
    src
}

/// Read a MyST text as jupytext does.
pub fn read_with(text: &str, opts: &ReadOptions) -> Result<MystRead, ReadError> {
    let text = universal_newlines(text);
    let text: &str = &text;
    let src = markdown_source(text);
    let blocks = blocks::parse(&src);
    if let Format::Other(format) = header::detect(text, &blocks, opts.assume_myst)? {
        return Err(ReadError::NotMyst { format });
    }
    let mut reader = Reader {
        lines: splitlines(text),
        src_lines: src.split('\n').collect(),
        cells: Vec::new(),
        warnings: Vec::new(),
    };

    // The front matter.
    let mut rest: &[Block] = &blocks;
    let mut md_start = 0;
    let mut header = Map::new();
    let mut dates = Vec::new();
    if let Some(Block {
        kind: BlockKind::FrontMatter { content },
        level: 0,
        end,
        ..
    }) = blocks.first()
    {
        let loaded = header::load_with_dates(content).map(|(value, found)| {
            dates = found;
            value
        });
        header = match loaded {
            Ok(Json::Object(map)) => map,
            Ok(other) => {
                return Err(ReadError::HeaderNotMapping {
                    found: describe(&other),
                })
            }
            Err(e) => {
                return Err(ReadError::HeaderYaml {
                    line: e.line + 1,
                    column: e.column,
                    message: e.message,
                })
            }
        };
        md_start = *end;
        rest = &blocks[1..];
    }
    validate::notebook_metadata(&header::dates_as_null(&header, &dates))
        .map_err(|message| ReadError::InvalidHeader { message })?;

    // The cells.
    let mut md_metadata = Map::new();
    let mut md_metadata_line = 0;
    let mut default_lexer: Option<String> = None;
    for block in rest.iter().filter(|b| b.level == 0) {
        match &block.kind {
            BlockKind::Fence {
                info,
                content,
                closed,
            } => {
                if !closed {
                    reader.warnings.push(ReadWarning::UnclosedFence {
                        line: block.start + 1,
                    });
                }
                let cell_type = if info.starts_with(CODE_DIRECTIVE) {
                    CellType::Code
                } else if info.starts_with(RAW_DIRECTIVE) {
                    CellType::Raw
                } else {
                    continue;
                };
                reader.flush_markdown(
                    md_start,
                    Some(block.start),
                    std::mem::take(&mut md_metadata),
                    md_metadata_line,
                )?;
                if cell_type == CellType::Code {
                    let lexer = strip(&info[CODE_DIRECTIVE.len()..]);
                    if !lexer.is_empty() {
                        match &default_lexer {
                            None => default_lexer = Some(lexer.to_string()),
                            Some(first) if first != lexer => {
                                reader.warnings.push(ReadWarning::MixedLexers {
                                    line: block.start + 1,
                                    lexer: lexer.to_string(),
                                    first: first.clone(),
                                })
                            }
                            Some(_) => {}
                        }
                    }
                }
                reader.fenced_cell(cell_type, content, block)?;
                md_start = block.end;
            }
            BlockKind::BlockBreak { content } => {
                reader.flush_markdown(
                    md_start,
                    Some(block.start),
                    std::mem::take(&mut md_metadata),
                    md_metadata_line,
                )?;
                reader.check_block_break(block.start);
                md_metadata = reader.markdown_metadata(content, block.start + 1)?;
                md_metadata_line = block.start + 1;
                md_start = block.end;
            }
            BlockKind::FrontMatter { .. } => {}
        }
    }
    reader.flush_markdown(md_start, None, md_metadata, md_metadata_line)?;
    reader.nested_cell_fences(&blocks);
    reader.line_separators(text);

    // The notebook metadata.
    if !header.contains_key("language_info") {
        if let Some(lexer) = default_lexer {
            add_default_lexer(&mut header, lexer)?;
        }
    }
    let (mut metadata, raw_cell) = header::distribute(header, &dates, opts)?;
    let mut cells = reader.cells;
    if let Some(source) = raw_cell {
        cells.insert(0, Cell::new(CellType::Raw, source));
    }
    if let Some(other) = metadata
        .get("jupytext")
        .filter(|j| !matches!(j, Json::Object(_)))
    {
        return Err(ReadError::InvalidHeader {
            message: format!("`jupytext` must be a mapping, not {}", other.kind_name()),
        });
    }
    crate::myst::write::rearrange_jupytext_metadata(&mut metadata);
    let text_representation = take_text_representation(&mut metadata)?;
    Ok(MystRead {
        notebook: Notebook {
            nbformat: 4,
            nbformat_minor: 5,
            metadata,
            cells,
            extra: Map::new(),
        },
        warnings: reader.warnings,
        text_representation,
    })
}

/// `jupyter.jupytext.default_lexer`, and `notebook_metadata_filter: -all` when the text had no
/// header (`myst.myst_to_notebook`).
fn add_default_lexer(header: &mut Map, lexer: String) -> Result<(), ReadError> {
    let had_metadata = !header.is_empty();
    let jupyter = header
        .entry("jupyter".to_string())
        .or_insert_with(|| Json::Object(Map::new()));
    let Json::Object(jupyter) = jupyter else {
        return Err(ReadError::InvalidHeader {
            message: format!("`jupyter` must be a mapping, not {}", jupyter.kind_name()),
        });
    };
    let jupytext = jupyter
        .entry("jupytext".to_string())
        .or_insert_with(|| Json::Object(Map::new()));
    let Json::Object(jupytext) = jupytext else {
        return Err(ReadError::InvalidHeader {
            message: format!(
                "`jupyter.jupytext` must be a mapping, not {}",
                jupytext.kind_name()
            ),
        });
    };
    jupytext.insert("default_lexer".to_string(), Json::Str(lexer));
    if !had_metadata {
        jupytext.insert(
            "notebook_metadata_filter".to_string(),
            Json::Str("-all".to_string()),
        );
    }
    Ok(())
}

/// Set `extension: .md` and `format_name: myst` in `jupytext.text_representation` (as
/// `jupytext.reads` does), then remove it as the `.ipynb` writer does, and `jupytext` with it
/// when nothing else is left. Returns the mapping.
fn take_text_representation(metadata: &mut Map) -> Result<Map, ReadError> {
    let jupytext = metadata
        .entry("jupytext".to_string())
        .or_insert_with(|| Json::Object(Map::new()));
    let Json::Object(jupytext) = jupytext else {
        return Err(ReadError::InvalidHeader {
            message: format!("`jupytext` must be a mapping, not {}", jupytext.kind_name()),
        });
    };
    let mut repr = match jupytext.shift_remove("text_representation") {
        None => Map::new(),
        Some(Json::Object(map)) => map,
        Some(other) => {
            return Err(ReadError::InvalidHeader {
                message: format!(
                    "`jupytext.text_representation` must be a mapping, not {}",
                    other.kind_name()
                ),
            })
        }
    };
    repr.insert("extension".to_string(), Json::Str(".md".to_string()));
    repr.insert("format_name".to_string(), Json::Str("myst".to_string()));
    if jupytext.is_empty() {
        metadata.shift_remove("jupytext");
    }
    Ok(repr)
}

/// A few words for the kind of a YAML/JSON value, as error messages use them.
fn describe(value: &Json) -> &'static str {
    match value {
        Json::Null => "empty",
        Json::Bool(_) => "a boolean",
        Json::Int(_) | Json::Float(_) => "a number",
        Json::Str(_) => "a string",
        Json::Array(_) => "a list",
        Json::Object(_) => "a mapping",
    }
}

fn kind_name(cell_type: CellType) -> &'static str {
    match cell_type {
        CellType::Code => "code",
        CellType::Raw => "raw",
        CellType::Markdown => "markdown",
    }
}

/// The cell-building state.
struct Reader<'t> {
    /// The text split the Python way (what markdown cells are cut from).
    lines: Vec<&'t str>,
    /// The text split at `\n` (markdown-it's lines, what token positions count).
    src_lines: Vec<&'t str>,
    cells: Vec<Cell>,
    warnings: Vec<ReadWarning>,
}

/// Options parsed from the top of a fence body: the YAML text, and how to turn a position in it
/// into a position in the file (line offset, column offset of each YAML line).
struct Options {
    yaml: String,
    first_line: usize,
    column_offsets: Vec<usize>,
}

impl<'t> Reader<'t> {
    /// Add the markdown cell made of `lines[start..end]` (Python lines), if not blank.
    fn flush_markdown(
        &mut self,
        start: usize,
        end: Option<usize>,
        metadata: Map,
        metadata_line: usize,
    ) -> Result<(), ReadError> {
        let end = end.unwrap_or(self.lines.len()).min(self.lines.len());
        let start = start.min(end);
        let joined = self.lines[start..end].join("\n");
        let source = rstrip(&joined).trim_start_matches('\n');
        if source.is_empty() {
            if !metadata.is_empty() {
                self.warnings.push(ReadWarning::LostMarkdownMetadata {
                    line: metadata_line,
                });
            }
            return Ok(());
        }
        let index = self.cells.len();
        validate::cell_metadata(CellType::Markdown, &metadata).map_err(|message| {
            ReadError::InvalidCellMetadata {
                kind: "markdown",
                index,
                line: if metadata_line > 0 {
                    metadata_line
                } else {
                    start + 1
                },
                message,
            }
        })?;
        let mut cell = Cell::new(CellType::Markdown, source);
        cell.metadata = metadata;
        self.cells.push(cell);
        Ok(())
    }

    /// The metadata after `+++` (`myst.read_cell_metadata`): nothing, or a JSON object.
    fn markdown_metadata(&self, content: &str, line: usize) -> Result<Map, ReadError> {
        if content.is_empty() {
            return Ok(Map::new());
        }
        let index = self.cells.len();
        match crate::notebook::json::parse(strip(content)) {
            Ok(Json::Object(map)) => Ok(map),
            Ok(other) => Err(ReadError::MarkdownMetadataNotObject {
                index,
                line,
                found: describe(&other),
            }),
            Err(e) => Err(ReadError::MarkdownMetadataJson {
                index,
                line,
                message: e.to_string(),
            }),
        }
    }

    /// A `+++` line that jupytext's writer would not have written there.
    fn check_block_break(&mut self, line: usize) {
        let text = self.src_lines.get(line).copied().unwrap_or("");
        let canonical = text == "+++" || text.starts_with("+++ {");
        let blank = |l: Option<&&str>| l.is_none_or(|l| l.trim_matches([' ', '\t']).is_empty());
        let blank_before = line == 0 || blank(self.src_lines.get(line - 1));
        let blank_after = blank(self.src_lines.get(line + 1));
        if !(canonical && blank_before && blank_after) {
            self.warnings
                .push(ReadWarning::BlockBreakInText { line: line + 1 });
        }
    }

    /// A code or raw cell from a fence body (`myst.read_fenced_cell`).
    fn fenced_cell(
        &mut self,
        cell_type: CellType,
        content: &str,
        block: &Block,
    ) -> Result<(), ReadError> {
        let kind = kind_name(cell_type);
        let index = self.cells.len();
        let line = block.start + 1;
        let (body, options) = split_options(content, line);
        let mut metadata = Map::new();
        if let Some(options) = options {
            let value = yaml_read::load(&options.yaml).map_err(|e: YamlError| {
                let column_offset = e
                    .line
                    .checked_sub(1)
                    .and_then(|i| options.column_offsets.get(i))
                    .copied()
                    .unwrap_or(0);
                ReadError::CellOptionsYaml {
                    kind,
                    index,
                    line,
                    yaml_line: options.first_line + e.line.saturating_sub(1),
                    column: e.column + column_offset,
                    message: e.message.clone(),
                }
            })?;
            match value {
                Json::Object(map) => metadata = map,
                other if !&other.is_truthy() => {}
                other => {
                    return Err(ReadError::InvalidCellMetadata {
                        kind,
                        index,
                        line,
                        message: format!("the options are {}, not a mapping", describe(&other)),
                    })
                }
            }
        }
        validate::cell_metadata(cell_type, &metadata).map_err(|message| {
            ReadError::InvalidCellMetadata {
                kind,
                index,
                line,
                message,
            }
        })?;
        let mut lines = splitlines(&body);
        if lines.first().is_some_and(|l| strip(l).is_empty()) {
            lines.remove(0);
        }
        let mut cell = Cell::new(cell_type, lines.join("\n"));
        cell.metadata = metadata;
        self.cells.push(cell);
        self.check_closing_fence(kind, block);
        Ok(())
    }

    /// A cell fence closed by an indented line, while the opening line is not indented.
    fn check_closing_fence(&mut self, kind: &'static str, block: &Block) {
        let BlockKind::Fence { closed: true, .. } = block.kind else {
            return;
        };
        let indented = |l: usize| {
            self.src_lines
                .get(l)
                .is_some_and(|t| t.starts_with([' ', '\t']))
        };
        if !indented(block.start) && block.end > 0 && indented(block.end - 1) {
            self.warnings.push(ReadWarning::IndentedClosingFence {
                kind,
                open_line: block.start + 1,
                line: block.end,
            });
        }
    }

    /// Lines outside top-level cells that look like cell fences.
    fn nested_cell_fences(&mut self, blocks: &[Block]) {
        let mut in_cell = vec![false; self.src_lines.len()];
        for block in blocks {
            let is_cell = match &block.kind {
                BlockKind::Fence { info, .. } => {
                    block.level == 0
                        && (info.starts_with(CODE_DIRECTIVE) || info.starts_with(RAW_DIRECTIVE))
                }
                BlockKind::FrontMatter { .. } => block.level == 0,
                BlockKind::BlockBreak { .. } => false,
            };
            if is_cell {
                let end = block.end.min(in_cell.len());
                in_cell[block.start.min(end)..end].fill(true);
            }
        }
        for (i, line) in self.src_lines.iter().enumerate() {
            if !in_cell[i] && looks_like_cell_fence(line) {
                self.warnings
                    .push(ReadWarning::NestedCellFence { line: i + 1 });
            }
        }
    }

    /// The first character Python's `splitlines` breaks at and markdown-it does not.
    fn line_separators(&mut self, text: &str) {
        let found = text.char_indices().find(|&(_, c)| {
            matches!(
                c,
                '\x0b' | '\x0c' | '\x1c' | '\x1d' | '\x1e' | '\u{85}' | '\u{2028}' | '\u{2029}'
            )
        });
        if let Some((offset, ch)) = found {
            let line = text[..offset].matches('\n').count() + 1;
            self.warnings.push(ReadWarning::LineSeparator { line, ch });
        }
    }
}

/// Whether a line (inside a container or not) opens a `{code-cell}` or `{raw-cell}` fence.
fn looks_like_cell_fence(line: &str) -> bool {
    let mut rest = line.trim_start_matches([' ', '\t', '>']);
    // A list marker.
    if let Some(after) = rest.strip_prefix(['-', '*', '+']) {
        rest = after.trim_start_matches([' ', '\t']);
    } else {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 {
            if let Some(after) = rest[digits..].strip_prefix(['.', ')']) {
                rest = after.trim_start_matches([' ', '\t']);
            }
        }
    }
    let fence = rest
        .bytes()
        .take_while(|&b| b == b'`')
        .count()
        .max(rest.bytes().take_while(|&b| b == b'~').count());
    fence >= 3
        && (rest[fence..].starts_with(CODE_DIRECTIVE) || rest[fence..].starts_with(RAW_DIRECTIVE))
}

/// Split a fence body into the source part and the options (`myst.parse_directive_options`):
/// a `---` YAML block at the top, or leading `:key: value` lines. `fence_line` is the 1-based
/// line of the opening fence.
fn split_options(content: &str, fence_line: usize) -> (String, Option<Options>) {
    if content.starts_with("---") {
        let rest = splitlines(content)[1..].join("\n");
        // The first line that starts with three dashes ends the YAML.
        let closing = std::iter::once(0)
            .chain(rest.match_indices('\n').map(|(i, _)| i + 1))
            .find(|&i| rest[i..].starts_with("---"));
        let (yaml_block, body) = match closing {
            Some(start) => {
                let dashes = rest[start..].bytes().take_while(|&b| b == b'-').count();
                let after = start + dashes;
                // The character after the dashes is taken for the line break.
                let body_start = rest[after..]
                    .chars()
                    .next()
                    .map_or(after, |c| after + c.len_utf8());
                (&rest[..start], rest[body_start..].to_string())
            }
            None => (rest.as_str(), String::new()),
        };
        let (yaml, margin) = text::dedent(yaml_block);
        let lines = yaml.split('\n').count();
        return (
            body,
            Some(Options {
                yaml,
                first_line: fence_line + 2,
                column_offsets: vec![margin; lines],
            }),
        );
    }
    if lstrip(content).starts_with(':') {
        let lines = splitlines(content);
        let mut yaml_lines = Vec::new();
        let mut column_offsets = Vec::new();
        let mut taken = 0;
        for line in &lines {
            let stripped = lstrip(line);
            let Some(option) = stripped.strip_prefix(':') else {
                break;
            };
            yaml_lines.push(option);
            column_offsets.push(line.chars().count() - stripped.chars().count() + 1);
            taken += 1;
        }
        return (
            lines[taken..].join("\n"),
            Some(Options {
                yaml: yaml_lines.join("\n"),
                first_line: fence_line + 1,
                column_offsets,
            }),
        );
    }
    (content.to_string(), None)
}
