//! Putting execution state back: the notebook read from a paired `.md` holds inputs only (cell
//! types, sources, the metadata the text shows); the prior `.ipynb` holds what the text leaves out
//! (outputs, execution counts, cell ids, attachments, unknown keys, metadata hidden by the
//! filters). [`combine`] builds the notebook to write from both.
//!
//! Notebook level, it does what jupytext 1.19.6 does (`spec/sync.md` §6.1), except that nothing
//! the text could not show is lost: the configuration's filters count ([`CombineOptions`]), a
//! prior filter that hid itself still counts, and a hidden key the text does write keeps the
//! text's value. Cell level, it matches cells its own way ([`match_cells`]), on purpose unlike
//! jupytext's positional fallback:
//!
//! 1. by cell id, when the text cells carry ids;
//! 2. by identical source: exact with the same shown metadata, exact, then up to the characters
//!    a code formatter may change ([`black_invariant`]), each time in order first, then anywhere;
//! 3. by similarity: between two cells matched above, an unmatched text cell may take an unmatched
//!    prior cell of the same type between the same two cells, when their [`similarity`] reaches
//!    [`SIMILARITY_THRESHOLD`]. Such a cell is *edited*: it keeps its id, attachments, unknown keys
//!    and hidden metadata, but its outputs and execution count are dropped, since they no longer
//!    describe its source;
//! 4. any other text cell is new: no outputs, no execution count, and a fresh deterministic id when
//!    the notebook is nbformat 4.5 or later.
//!
//! Prior cells nobody matched are dropped. jupytext instead gives an unmatched cell the outputs of
//! the prior cell right after the last match, so an edited cell keeps stale outputs and an inserted
//! cell can take the outputs of the edited cell that follows it.

use std::collections::{HashMap, HashSet};

use crate::notebook::{Cell, CellType, Json, Map, Notebook};

use crate::myst::filter::{
    filter_metadata, MetadataFilter, Names, DEFAULT_CELL_METADATA, DEFAULT_NOTEBOOK_METADATA,
    JUPYTEXT_CELL_METADATA,
};

/// The lowest [`similarity`] at which an unmatched text cell is taken for an edit of an unmatched
/// prior cell between the same two matched cells.
pub const SIMILARITY_THRESHOLD: f64 = 0.5;

/// Above this many (text, prior) pairs in one gap between matched cells, a text cell is only
/// compared with the prior cells near its relative place ([`GAP_BAND`] on either side).
const MAX_GAP_PAIRS: usize = 16_384;
/// How far from its relative place a text cell of a large gap looks for its earlier version.
const GAP_BAND: usize = 32;

/// Metadata filters that come from outside the notebooks (the jupytext configuration file, or an
/// explicit option), with the writer's precedence: a filter set here wins over the one stored in
/// the notebook's `jupytext` metadata, because it is the one the `.md` was written with.
///
/// This is where nbmyst parts with jupytext on purpose: jupytext's combine ignores the
/// configuration and looks only at the notebook's own filters, so a configuration-only
/// `cell_metadata_filter = "-all"` makes it drop every cell metadata key the text hid (`tags`,
/// `slideshow`...), and a configuration-only `notebook_metadata_filter = "-all"` over a text
/// without a lexer drops the notebook's `kernelspec` (`spec/sync.md` §10, items 3 and 4). With the
/// configuration's filters passed here, whatever the text did not show is put back.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CombineOptions {
    /// `notebook_metadata_filter` from the configuration (a string such as `"-all"`, or any value
    /// jupytext accepts for it); `None` when the configuration does not set it.
    pub notebook_metadata_filter: Option<Json>,
    /// `cell_metadata_filter` from the configuration; `None` when it does not set it.
    pub cell_metadata_filter: Option<Json>,
}

/// How one text cell was paired with the prior notebook's cells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CellMatch {
    /// The prior cell at this index has the same source (exactly, or up to [`black_invariant`]):
    /// everything it holds is kept.
    Same(usize),
    /// The prior cell at this index is an earlier version of this cell: its id, attachments,
    /// unknown keys and hidden metadata are kept, its outputs and execution count are not.
    Edited(usize),
    /// No prior cell: a new cell.
    New,
}

impl CellMatch {
    /// The index of the prior cell, if any.
    pub fn prior(self) -> Option<usize> {
        match self {
            CellMatch::Same(j) | CellMatch::Edited(j) => Some(j),
            CellMatch::New => None,
        }
    }
}

/// Build the notebook to write from `text_nb` (read from the paired text: inputs only) and
/// `prior` (the `.ipynb` as it is on disk).
///
/// - `nbformat`, `nbformat_minor` and unknown top-level keys come from `prior`.
/// - Notebook metadata: the effective notebook filter is the configuration's, else the text's
///   `jupytext.notebook_metadata_filter`, else the prior one when it hides `jupytext` (and so
///   itself) from the text. With `-all`, `prior`'s metadata whole; otherwise the text's metadata
///   plus every key of `prior`'s that the filter hides (nested keys too, when the filter names
///   `a.b`). Where both have a hidden key, the text's value wins (mappings are merged, the text's
///   keys winning). `jupytext.text_representation` is removed, and `jupytext` if that leaves it
///   empty.
/// - Cells: paired by [`match_cells`]; each matched cell is the prior cell with the text's source
///   and the text's metadata plus the prior metadata the cell filter hides (the configuration's
///   filter, else the combined `jupytext.cell_metadata_filter`, else the default).
pub fn combine(text_nb: &Notebook, prior: &Notebook, opts: &CombineOptions) -> Notebook {
    let metadata = combine_notebook_metadata(&text_nb.metadata, &prior.metadata, opts);
    let cell_filter = parse_filter(
        opts.cell_metadata_filter
            .as_ref()
            .or_else(|| jupytext_setting(&metadata, "cell_metadata_filter")),
    );
    let cell_default = MetadataFilter::parse(DEFAULT_CELL_METADATA);
    let with_ids = prior.nbformat == 4 && prior.nbformat_minor >= 5;

    let matches = match_cells(&text_nb.cells, &prior.cells, &cell_filter);
    let mut cells = Vec::with_capacity(text_nb.cells.len());
    for (text_cell, m) in text_nb.cells.iter().zip(&matches) {
        let cell = match *m {
            CellMatch::Same(j) | CellMatch::Edited(j) => {
                let prior_cell = &prior.cells[j];
                let mut cell = prior_cell.clone();
                cell.source = text_cell.source.clone();
                let shown = filter_metadata(&prior_cell.metadata, &cell_filter, &cell_default);
                cell.metadata = restore_hidden(&text_cell.metadata, &prior_cell.metadata, &shown);
                if cell.attachments.is_none() {
                    cell.attachments = text_cell.attachments.clone();
                }
                if matches!(m, CellMatch::Edited(_)) && cell.cell_type == CellType::Code {
                    cell.outputs = Some(Vec::new());
                    cell.execution_count = Some(Json::Null);
                }
                cell
            }
            CellMatch::New => {
                let mut cell = text_cell.clone();
                if cell.cell_type == CellType::Code {
                    cell.outputs = Some(Vec::new());
                    cell.execution_count = Some(Json::Null);
                }
                // Ids are given below, once every kept id is known.
                cell.id = None;
                cell
            }
        };
        cells.push(cell);
    }

    // New cells: the text's own id when it is valid and free, else a fresh one; none below 4.5
    // (nbformat does not add ids to older notebooks, and neither do we).
    if with_ids {
        let mut taken: HashSet<String> = cells.iter().filter_map(|c| c.id.clone()).collect();
        let new_cells = cells.iter_mut().zip(&text_nb.cells).zip(&matches);
        for (pos, ((cell, text_cell), m)) in new_cells.enumerate() {
            if *m != CellMatch::New {
                continue;
            }
            let id = match text_cell.id.as_ref() {
                Some(id) if is_valid_cell_id(id) && !taken.contains(id) => id.clone(),
                _ => fresh_cell_id(&cell.source, pos, &taken),
            };
            taken.insert(id.clone());
            cell.id = Some(id);
        }
    }

    Notebook {
        nbformat: prior.nbformat,
        nbformat_minor: prior.nbformat_minor,
        metadata,
        cells,
        extra: prior.extra.clone(),
    }
}

/// The notebook metadata of [`combine`] (`spec/sync.md` §6.1).
fn combine_notebook_metadata(text: &Map, prior: &Map, opts: &CombineOptions) -> Map {
    // The reader's mark of the text format says nothing about the notebook: set it aside first,
    // so that a `jupytext` section the filter hid can come back from the prior notebook.
    let mut text = text.clone();
    strip_text_representation(&mut text);
    let default = MetadataFilter::parse(DEFAULT_NOTEBOOK_METADATA);
    let filter = opts
        .notebook_metadata_filter
        .as_ref()
        .or_else(|| jupytext_setting(&text, "notebook_metadata_filter"))
        .or_else(|| {
            // A prior filter that hides `jupytext` hid itself: the text cannot show it, so its
            // absence from the text does not mean the user removed it.
            jupytext_setting(prior, "notebook_metadata_filter").filter(|&f| {
                !filter_metadata(prior, &parse_filter(Some(f)), &default).contains_key("jupytext")
            })
        });
    let filter = parse_filter(filter);
    let mut metadata = if is_exclude_all(&filter) {
        prior.clone()
    } else {
        let shown = filter_metadata(prior, &filter, &default);
        restore_hidden(&text, prior, &shown)
    };
    strip_text_representation(&mut metadata);
    metadata
}

/// Remove `jupytext.text_representation`, and `jupytext` if that leaves it empty.
fn strip_text_representation(metadata: &mut Map) {
    if let Some(Json::Object(jupytext)) = metadata.get_mut("jupytext") {
        jupytext.shift_remove("text_representation");
        if jupytext.is_empty() {
            metadata.shift_remove("jupytext");
        }
    }
}

/// `metadata.jupytext.<key>`, if present.
fn jupytext_setting<'a>(metadata: &'a Map, key: &str) -> Option<&'a Json> {
    match metadata.get("jupytext") {
        Some(Json::Object(jupytext)) => jupytext.get(key),
        _ => None,
    }
}

/// A filter value as stored in metadata or configuration; no value, or one jupytext cannot use,
/// is no filter.
fn parse_filter(value: Option<&Json>) -> MetadataFilter {
    value
        .and_then(MetadataFilter::from_json)
        .unwrap_or_default()
}

/// Whether a filter shows nothing at all (`-all`, `false`): then the text holds no notebook
/// metadata to speak of. jupytext tests the string `"-all"` only; `-all,` or `false` mean the same.
fn is_exclude_all(filter: &MetadataFilter) -> bool {
    filter.excluded == Names::All && filter.additional == Names::List(Vec::new())
}

/// `text` plus what `shown` (the filtered `prior`) leaves out of `prior`, at the top level and,
/// for mappings that both show and hide keys, inside them. Keys of `text` win; where both have a
/// mapping under a hidden key, the prior keys the text lacks are added to it.
fn restore_hidden(text: &Map, prior: &Map, shown: &Map) -> Map {
    let mut out = text.clone();
    for (key, prior_value) in prior {
        if JUPYTEXT_CELL_METADATA.contains(&key.as_str()) {
            continue;
        }
        restore_key(&mut out, key, prior_value, shown.get(key));
    }
    out
}

fn restore_key(out: &mut Map, key: &str, prior_value: &Json, shown: Option<&Json>) {
    match shown {
        // Hidden: put back, or, where the text has a mapping there too, put back what it lacks.
        None => match out.get_mut(key) {
            None => {
                out.insert(key.to_string(), prior_value.clone());
            }
            Some(Json::Object(text_map)) => {
                if let Json::Object(prior_map) = prior_value {
                    for (sub, sub_prior) in prior_map {
                        restore_key(text_map, sub, sub_prior, None);
                    }
                }
            }
            Some(_) => {}
        },
        Some(shown_value) if shown_value != prior_value => {
            if let (
                Json::Object(prior_map),
                Json::Object(shown_map),
                Some(Json::Object(text_map)),
            ) = (prior_value, shown_value, out.get_mut(key))
            {
                for (sub, sub_prior) in prior_map {
                    restore_key(text_map, sub, sub_prior, shown_map.get(sub));
                }
            }
        }
        Some(_) => {}
    }
}

/// Pair each text cell with at most one prior cell of the same type (see the module docs).
/// `cell_filter` is the cell metadata filter the text was written with (the default is added):
/// among cells of the same source, one whose shown metadata also agree is preferred.
///
/// The result has one entry per text cell; no prior cell is used twice.
pub fn match_cells(text: &[Cell], prior: &[Cell], cell_filter: &MetadataFilter) -> Vec<CellMatch> {
    let mut m = Matcher::new(text, prior, cell_filter);
    m.by_id();
    let exact = |c: &Cell| c.source.clone();
    m.by_key(exact, true);
    m.by_key(exact, false);
    m.by_key(|c: &Cell| black_invariant(&c.source), false);
    m.by_similarity();
    m.result
}

struct Matcher<'a> {
    text: &'a [Cell],
    prior: &'a [Cell],
    /// The metadata the text shows, for each text and prior cell.
    shown_text: Vec<Map>,
    shown_prior: Vec<Map>,
    result: Vec<CellMatch>,
    used: Vec<bool>,
}

impl<'a> Matcher<'a> {
    fn new(text: &'a [Cell], prior: &'a [Cell], cell_filter: &MetadataFilter) -> Self {
        let default = MetadataFilter::parse(DEFAULT_CELL_METADATA);
        let shown = |cells: &[Cell]| -> Vec<Map> {
            cells
                .iter()
                .map(|c| filter_metadata(&c.metadata, cell_filter, &default))
                .collect()
        };
        Matcher {
            text,
            prior,
            shown_text: shown(text),
            shown_prior: shown(prior),
            result: vec![CellMatch::New; text.len()],
            used: vec![false; prior.len()],
        }
    }

    fn take(&mut self, i: usize, j: usize, same: bool) {
        self.result[i] = if same {
            CellMatch::Same(j)
        } else {
            CellMatch::Edited(j)
        };
        self.used[j] = true;
    }

    /// Pass 1: a text cell with an id takes the unused prior cell with that id and its type.
    fn by_id(&mut self) {
        let mut by_id: HashMap<&str, usize> = HashMap::new();
        for (j, c) in self.prior.iter().enumerate() {
            if let Some(id) = &c.id {
                by_id.entry(id.as_str()).or_insert(j);
            }
        }
        for i in 0..self.text.len() {
            let Some(id) = &self.text[i].id else { continue };
            let Some(&j) = by_id.get(id.as_str()) else {
                continue;
            };
            if self.used[j] || self.prior[j].cell_type != self.text[i].cell_type {
                continue;
            }
            let same =
                black_invariant(&self.text[i].source) == black_invariant(&self.prior[j].source);
            self.take(i, j, same);
        }
    }

    /// Pass 2 (one key): equal keys (and equal shown metadata if `same_metadata`), in order
    /// first, then anywhere.
    fn by_key(&mut self, key: impl Fn(&Cell) -> String, same_metadata: bool) {
        // Candidates per (type, key), in increasing prior index.
        let mut candidates: HashMap<(CellType, String), Vec<usize>> = HashMap::new();
        for (j, c) in self.prior.iter().enumerate() {
            if !self.used[j] {
                candidates.entry((c.cell_type, key(c))).or_default().push(j);
            }
        }
        if candidates.is_empty() {
            return;
        }
        let text_keys: Vec<Option<(CellType, String)>> = (0..self.text.len())
            .map(|i| {
                (self.result[i] == CellMatch::New)
                    .then(|| (self.text[i].cell_type, key(&self.text[i])))
            })
            .collect();

        // In order: for each type, search only after the last prior cell matched in this pass.
        let mut next = [0usize; 3];
        for (i, k) in text_keys.iter().enumerate() {
            let Some(k) = k else { continue };
            let slot = type_slot(k.0);
            let Some(list) = candidates.get(k) else {
                continue;
            };
            let fits = |j: usize| {
                !self.used[j] && (!same_metadata || self.shown_text[i] == self.shown_prior[j])
            };
            if let Some(&j) = list.iter().find(|&&j| j >= next[slot] && fits(j)) {
                self.take(i, j, true);
                next[slot] = j + 1;
            }
        }
        // Anywhere: the first unused prior cell with that key.
        for (i, k) in text_keys.iter().enumerate() {
            let Some(k) = k else { continue };
            if self.result[i] != CellMatch::New {
                continue;
            }
            let Some(list) = candidates.get(k) else {
                continue;
            };
            let fits = |j: usize| {
                !self.used[j] && (!same_metadata || self.shown_text[i] == self.shown_prior[j])
            };
            if let Some(&j) = list.iter().find(|&&j| fits(j)) {
                self.take(i, j, true);
            }
        }
    }

    /// Pass 3: edited cells, between the same two anchors (matched pairs in order on both sides).
    fn by_similarity(&mut self) {
        let mut anchors = self.anchors();
        // Sentinels before the first and after the last cells.
        anchors.insert(0, (None, None));
        anchors.push((Some(self.text.len()), Some(self.prior.len())));
        for w in anchors.windows(2) {
            let (ti0, pj0) = w[0];
            let (ti1, pj1) = w[1];
            let text_from = ti0.map_or(0, |i| i + 1);
            let prior_from = pj0.map_or(0, |j| j + 1);
            let (Some(text_to), Some(prior_to)) = (ti1, pj1) else {
                continue;
            };
            let gap_text: Vec<usize> = (text_from..text_to)
                .filter(|&i| self.result[i] == CellMatch::New)
                .collect();
            let gap_prior: Vec<usize> = (prior_from..prior_to).filter(|&j| !self.used[j]).collect();
            if gap_text.is_empty() || gap_prior.is_empty() {
                continue;
            }
            let prior_profiles: Vec<Trigrams> = gap_prior
                .iter()
                .map(|&j| Trigrams::of(&self.prior[j].source))
                .collect();
            // A large gap (a rewrite of many cells) compares each text cell only with the prior
            // cells around the same relative place, to stay near linear.
            let (n_text, n_prior) = (gap_text.len(), gap_prior.len());
            let band = (n_text * n_prior > MAX_GAP_PAIRS).then_some(GAP_BAND);
            let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
            for (rank, &i) in gap_text.iter().enumerate() {
                let profile = Trigrams::of(&self.text[i].source);
                let range = match band {
                    None => 0..n_prior,
                    Some(band) => {
                        let centre = rank * n_prior / n_text;
                        centre.saturating_sub(band)..(centre + band + 1).min(n_prior)
                    }
                };
                for (&j, prior_profile) in
                    gap_prior[range.clone()].iter().zip(&prior_profiles[range])
                {
                    if self.prior[j].cell_type != self.text[i].cell_type {
                        continue;
                    }
                    let score = profile.dice(prior_profile);
                    if score >= SIMILARITY_THRESHOLD {
                        pairs.push((score, i, j));
                    }
                }
            }
            // Best pairs first; ties to the earliest text cell, then the earliest prior cell.
            pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
            for (_, i, j) in pairs {
                if self.result[i] == CellMatch::New && !self.used[j] {
                    self.take(i, j, false);
                }
            }
        }
    }

    /// The longest chain of matches that keeps the order of both sides (cells moved elsewhere
    /// are left out), as (text index, prior index) pairs.
    fn anchors(&self) -> Vec<(Option<usize>, Option<usize>)> {
        let pairs: Vec<(usize, usize)> = self
            .result
            .iter()
            .enumerate()
            .filter_map(|(i, m)| m.prior().map(|j| (i, j)))
            .collect();
        // Longest strictly increasing subsequence of the prior indices (patience sorting).
        let mut tails: Vec<usize> = Vec::new(); // index into `pairs` ending each length
        let mut before: Vec<Option<usize>> = vec![None; pairs.len()];
        for (k, &(_, j)) in pairs.iter().enumerate() {
            let pos = tails.partition_point(|&t| pairs[t].1 < j);
            before[k] = pos.checked_sub(1).map(|p| tails[p]);
            if pos == tails.len() {
                tails.push(k);
            } else {
                tails[pos] = k;
            }
        }
        let mut chain = Vec::with_capacity(tails.len());
        let mut cur = tails.last().copied();
        while let Some(k) = cur {
            chain.push((Some(pairs[k].0), Some(pairs[k].1)));
            cur = before[k];
        }
        chain.reverse();
        chain
    }
}

fn type_slot(t: CellType) -> usize {
    match t {
        CellType::Markdown => 0,
        CellType::Code => 1,
        CellType::Raw => 2,
    }
}

/// The source without the characters a code formatter such as black may change: spaces, tabs,
/// newlines, `,`, `'`, `"`, `(`, `)` and `\` (jupytext's notion of "same content").
pub fn black_invariant(source: &str) -> String {
    source
        .chars()
        .filter(|c| !matches!(c, ' ' | '\t' | '\n' | ',' | '\'' | '"' | '(' | ')' | '\\'))
        .collect()
}

/// How alike two sources are, from 0 (nothing in common) to 1 (equal): the Dice coefficient of
/// their multisets of character trigrams, the text being framed by a start and an end mark.
///
/// Trigrams rather than a line diff: the most common edit changes one line, and a line diff rates
/// an edited one-line cell 0. Unlike a character diff, trigrams keep two unrelated paragraphs of
/// prose far apart (a longest common subsequence of letters finds half of any two texts).
pub fn similarity(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    Trigrams::of(a).dice(&Trigrams::of(b))
}

/// A multiset of character trigrams.
struct Trigrams {
    /// Each distinct trigram (three code points packed in 63 bits), sorted, with its count.
    counts: Vec<(u64, u32)>,
    total: usize,
}

impl Trigrams {
    fn of(source: &str) -> Trigrams {
        let chars: Vec<u64> = std::iter::once('\u{2}')
            .chain(source.chars())
            .chain(std::iter::once('\u{3}'))
            .map(u64::from)
            .collect();
        let mut grams: Vec<u64> = chars
            .windows(3)
            .map(|w| (w[0] << 42) | (w[1] << 21) | w[2])
            .collect();
        grams.sort_unstable();
        let mut counts: Vec<(u64, u32)> = Vec::new();
        for g in grams {
            match counts.last_mut() {
                Some((last, n)) if *last == g => *n += 1,
                _ => counts.push((g, 1)),
            }
        }
        Trigrams {
            counts,
            total: chars.len().saturating_sub(2),
        }
    }

    fn dice(&self, other: &Trigrams) -> f64 {
        let total = self.total + other.total;
        if total == 0 {
            return 1.0;
        }
        // Cheap bound first: the smaller multiset caps the overlap.
        if 2.0 * self.total.min(other.total) as f64 / (total as f64) < SIMILARITY_THRESHOLD {
            return 0.0;
        }
        let (mut a, mut b) = (
            self.counts.iter().peekable(),
            other.counts.iter().peekable(),
        );
        let mut common: u64 = 0;
        while let (Some(&&(ga, na)), Some(&&(gb, nb))) = (a.peek(), b.peek()) {
            match ga.cmp(&gb) {
                std::cmp::Ordering::Less => {
                    a.next();
                }
                std::cmp::Ordering::Greater => {
                    b.next();
                }
                std::cmp::Ordering::Equal => {
                    common += u64::from(na.min(nb));
                    a.next();
                    b.next();
                }
            }
        }
        2.0 * common as f64 / total as f64
    }
}

/// Whether `id` is a valid nbformat 4.5 cell id (`^[a-zA-Z0-9-_]+$`, 1 to 64 characters).
pub fn is_valid_cell_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A new cell id: 8 hex digits from a hash of the source and position, rehashed until it is not
/// in `taken`. The same notebook always gets the same ids.
pub fn fresh_cell_id(source: &str, position: usize, taken: &HashSet<String>) -> String {
    let mut bump: u64 = 0;
    loop {
        let mut h = Fnv::new();
        h.write(source.as_bytes());
        h.write(&(position as u64).to_le_bytes());
        h.write(&bump.to_le_bytes());
        let id = format!("{:08x}", h.fold32());
        if !taken.contains(&id) {
            return id;
        }
        bump += 1;
    }
}

/// FNV-1a, 64 bits: stable across platforms and releases, unlike std's hasher.
struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    fn fold32(&self) -> u32 {
        ((self.0 >> 32) ^ self.0) as u32
    }
}

/// Where two notebooks' inputs first differ (see [`first_input_difference`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputDifference {
    /// The index of the first cell that differs (for [`InputDifferenceKind::CellCount`], the
    /// length of the shorter notebook).
    pub cell: usize,
    pub kind: InputDifferenceKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputDifferenceKind {
    /// One notebook has no cell at this index.
    CellCount,
    CellType,
    Source,
    /// The cell metadata the text shows (after the cell filter) differ.
    Metadata,
}

/// Do `a` and `b` have the same inputs, as far as the paired text shows them: the same number of
/// cells, and cell by cell the same type, the same source (exactly) and the same metadata once the
/// cell filter is applied? `None` when they do; else where they first differ.
///
/// Outputs, execution counts, ids, attachments, hidden metadata and notebook metadata are not
/// compared. The cell filter is the configuration's (`opts`), else `a`'s
/// `jupytext.cell_metadata_filter`, else `b`'s, else the default; pass the `.ipynb` side as `a`.
pub fn first_input_difference(
    a: &Notebook,
    b: &Notebook,
    opts: &CombineOptions,
) -> Option<InputDifference> {
    let filter = parse_filter(
        opts.cell_metadata_filter
            .as_ref()
            .or_else(|| jupytext_setting(&a.metadata, "cell_metadata_filter"))
            .or_else(|| jupytext_setting(&b.metadata, "cell_metadata_filter")),
    );
    let default = MetadataFilter::parse(DEFAULT_CELL_METADATA);
    for (index, (x, y)) in a.cells.iter().zip(&b.cells).enumerate() {
        let kind = if x.cell_type != y.cell_type {
            InputDifferenceKind::CellType
        } else if x.source != y.source {
            InputDifferenceKind::Source
        } else if filter_metadata(&x.metadata, &filter, &default)
            != filter_metadata(&y.metadata, &filter, &default)
        {
            InputDifferenceKind::Metadata
        } else {
            continue;
        };
        return Some(InputDifference { cell: index, kind });
    }
    (a.cells.len() != b.cells.len()).then(|| InputDifference {
        cell: a.cells.len().min(b.cells.len()),
        kind: InputDifferenceKind::CellCount,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Json {
        Json::Str(v.to_string())
    }

    fn obj(pairs: &[(&str, Json)]) -> Map {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn black_invariant_drops_what_a_formatter_changes() {
        assert_eq!(black_invariant("f('x', 1)\n"), "fx1");
        assert_eq!(black_invariant("f( \"x\" ,1 )\t\\"), "fx1");
        assert_eq!(black_invariant("a\r\nb"), "a\rb");
    }

    #[test]
    fn similarity_rates_small_edits_high_and_unrelated_text_low() {
        assert_eq!(similarity("x", "x"), 1.0);
        assert_eq!(similarity("", ""), 1.0);
        assert_eq!(similarity("", "x = 1"), 0.0);
        assert!(similarity("print('hi')", "print('hello')") >= SIMILARITY_THRESHOLD);
        assert!(similarity("x = 1", "x = 2") >= SIMILARITY_THRESHOLD);
        assert!(
            similarity("b = a.describe()", "b = a.describe(include='all')") >= SIMILARITY_THRESHOLD
        );
        assert!(similarity("import os", "df.plot()") < SIMILARITY_THRESHOLD);
        assert!(
            similarity(
                "The results are shown below.\n\nThey look fine.",
                "Now we load the data from disk, then clean it."
            ) < SIMILARITY_THRESHOLD
        );
        // Symmetric.
        assert_eq!(
            similarity("abc def", "abc xyz def"),
            similarity("abc xyz def", "abc def")
        );
    }

    #[test]
    fn cell_ids_are_checked_like_nbformat() {
        assert!(is_valid_cell_id("a-B_9"));
        assert!(!is_valid_cell_id(""));
        assert!(!is_valid_cell_id("a b"));
        assert!(!is_valid_cell_id("é"));
        assert!(!is_valid_cell_id(&"a".repeat(65)));
        assert!(is_valid_cell_id(&"a".repeat(64)));
    }

    #[test]
    fn fresh_ids_are_deterministic_hex_and_avoid_taken_ones() {
        let none = HashSet::new();
        let a = fresh_cell_id("x = 1", 3, &none);
        assert_eq!(a, fresh_cell_id("x = 1", 3, &none));
        assert_eq!(a.len(), 8);
        assert!(a.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(a, fresh_cell_id("x = 1", 4, &none));
        let taken: HashSet<String> = [a.clone()].into();
        let b = fresh_cell_id("x = 1", 3, &taken);
        assert_ne!(a, b);
        assert!(is_valid_cell_id(&b));
    }

    #[test]
    fn exclude_all_filters() {
        let excludes_all = |v: Json| is_exclude_all(&parse_filter(Some(&v)));
        assert!(excludes_all(s("-all")));
        assert!(excludes_all(s(" -all ")));
        assert!(excludes_all(s("-all,-tags")));
        assert!(excludes_all(Json::Bool(false)));
        assert!(!excludes_all(s("tags,-all")));
        assert!(!excludes_all(s("all")));
        assert!(!excludes_all(s("-tags")));
        assert!(!excludes_all(Json::Bool(true)));
        assert!(!excludes_all(Json::Null));
        assert!(!excludes_all(Json::Int("3".into())));
        assert!(excludes_all(Json::Object(obj(&[("excluded", s("all"))]))));
    }

    #[test]
    fn restore_puts_back_hidden_keys_and_nested_hidden_keys() {
        let prior = obj(&[
            ("kept", s("prior")),
            ("hidden", s("prior")),
            (
                "nested",
                Json::Object(obj(&[("shown", s("prior")), ("hidden", s("prior"))])),
            ),
            ("lines_to_next_cell", Json::Int("2".into())),
        ]);
        let shown = obj(&[
            ("kept", s("prior")),
            ("nested", Json::Object(obj(&[("shown", s("prior"))]))),
        ]);
        let text = obj(&[
            ("kept", s("text")),
            ("nested", Json::Object(obj(&[("shown", s("text"))]))),
        ]);
        let out = restore_hidden(&text, &prior, &shown);
        assert_eq!(
            out,
            obj(&[
                ("kept", s("text")),
                (
                    "nested",
                    Json::Object(obj(&[("shown", s("text")), ("hidden", s("prior"))]))
                ),
                ("hidden", s("prior")),
            ])
        );
        // A hidden key the text also has: the text's value wins.
        let text = obj(&[("hidden", s("text"))]);
        assert_eq!(restore_hidden(&text, &prior, &shown)["hidden"], s("text"));
    }

    #[test]
    fn anchors_skip_moved_cells() {
        let cells =
            |v: &[&str]| -> Vec<Cell> { v.iter().map(|x| Cell::new(CellType::Code, *x)).collect() };
        let prior = cells(&["a", "b", "c", "d"]);
        let text = cells(&["a", "d", "b", "c"]);
        let mut m = Matcher::new(&text, &prior, &MetadataFilter::default());
        m.by_key(|c| c.source.clone(), false);
        assert_eq!(
            m.anchors(),
            vec![(Some(0), Some(0)), (Some(2), Some(1)), (Some(3), Some(2))]
        );
    }
}
