//! `nbmyst doctor`: is git really using nbmyst for this repository's notebooks, and if not,
//! what to run.
//!
//! Each check yields findings: `ok` (as it should be), `note` (worth knowing, nothing broken)
//! or `problem` (something does not work as installed), the last two with the command that
//! fixes them. The exit status is 1 when there is a problem. What the checks compare against is
//! install's table ([`crate::drivers::install::ENTRIES`]), so a part that this binary gains
//! (merge, the external diff) is checked with no change here; paired notebooks are checked
//! through this binary's `check` subcommand when it has one.

use std::fmt::Write as _;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::cli::{DoctorArgs, TextconvArgs};
use crate::drivers::install::{
    self, attribute_files, available_parts, conflict_of, current_exe_display, find_on_path,
    has_subcommand, is_current_exe, read_rules, same_file, show_path, tool_of, Conflict, Part,
    Rule, DRIVER, ENTRIES, PROGRAM, RANK_TOP, TEXTCONV_CACHE_REF,
};
use crate::drivers::{textconv, Env};
use crate::error::Error;
use crate::git::{self, ConfigEntry, GitVersion, Repo};

/// git that expands `%S`, `%X`, `%Y` in a merge driver's command (2.44.0, commit 81effe9468).
pub const GIT_FOR_LABELS: GitVersion = GitVersion(2, 44, 0);
/// git that reads `diff.<driver>.trustExitCode` (2.46.0, commit d7b97b7185).
pub const GIT_FOR_TRUST_EXIT_CODE: GitVersion = GitVersion(2, 46, 0);
/// How many cached notebooks the stale-cache check converts again, at most.
pub const CACHE_SAMPLE: usize = 200;
/// How many lines of `nbmyst check`'s report a finding quotes.
const CHECK_LINES: usize = 10;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// As it should be.
    Ok,
    /// Worth knowing; nothing is broken.
    Note,
    /// Something does not work as installed: doctor exits 1.
    Problem,
}

/// One thing doctor says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// How serious.
    pub level: Level,
    /// What it found.
    pub text: String,
    /// What to run or change, for notes and problems.
    pub fix: Option<String>,
}

#[derive(Default)]
struct Findings(Vec<Finding>);

impl Findings {
    fn ok(&mut self, text: impl Into<String>) {
        self.push(Level::Ok, text, None::<String>);
    }

    fn note(&mut self, text: impl Into<String>, fix: Option<impl Into<String>>) {
        self.push(Level::Note, text, fix);
    }

    fn problem(&mut self, text: impl Into<String>, fix: impl Into<String>) {
        self.push(Level::Problem, text, Some(fix));
    }

    fn push(&mut self, level: Level, text: impl Into<String>, fix: Option<impl Into<String>>) {
        self.0.push(Finding {
            level,
            text: text.into(),
            fix: fix.map(Into::into),
        });
    }
}

/// Run `nbmyst doctor`; the exit status is [`crate::EXIT_FOUND`] when there is a problem.
pub fn run(
    _args: &DoctorArgs,
    env: &Env,
    stdout: &mut dyn Write,
    _stderr: &mut dyn Write,
) -> Result<u8, Error> {
    let findings = diagnose(env)?;
    let mut text = String::new();
    for finding in &findings {
        let label = match finding.level {
            Level::Ok => "ok",
            Level::Note => "note",
            Level::Problem => "problem",
        };
        let _ = writeln!(text, "{label}: {}", indent_rest(&finding.text, "  "));
        if let Some(fix) = &finding.fix {
            let _ = writeln!(text, "  fix: {}", indent_rest(fix, "    "));
        }
    }
    let problems = findings
        .iter()
        .filter(|f| f.level == Level::Problem)
        .count();
    match problems {
        0 => text.push_str("no problems found\n"),
        1 => text.push_str("1 problem found\n"),
        n => {
            let _ = writeln!(text, "{n} problems found");
        }
    }
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(Error::WriteOutput)?;
    Ok(if problems > 0 {
        crate::EXIT_FOUND
    } else {
        crate::EXIT_OK
    })
}

/// `1 notebook`, `2 notebooks`, `3 entries`.
fn count(n: usize, noun: &str) -> String {
    match (n, noun.strip_suffix('y')) {
        (1, _) => format!("1 {noun}"),
        (_, Some(stem)) => format!("{n} {stem}ies"),
        _ => format!("{n} {noun}s"),
    }
}

/// Indent every line but the first.
fn indent_rest(text: &str, indent: &str) -> String {
    text.replace('\n', &format!("\n{indent}"))
}

/// Every finding for the current folder's repository (or, outside one, for git and PATH).
pub fn diagnose(env: &Env) -> Result<Vec<Finding>, Error> {
    let cwd = env.cwd();
    let mut findings = Findings::default();
    let repo = git::repo(&cwd)?;
    let config = Config::read(&cwd)?;
    check_git_version(&mut findings, &config)?;
    check_program(&mut findings, env);
    if env.disabled() {
        findings.note(
            "NBMYST is set to turn nbmyst off: every driver behaves as plain git",
            Some("unset NBMYST"),
        );
    }
    let parts = checked_parts(&config);
    check_registration(&mut findings, &config, &parts, repo.is_some());
    match &repo {
        Some(repo) => {
            let bound = check_binding(&mut findings, repo, &parts, &config, env)?;
            check_filters(&mut findings, &bound, &config);
            check_other_drivers(&mut findings, &bound, &config, &parts);
            check_cache(&mut findings, repo, &config, env)?;
            check_pairs(&mut findings, repo);
        }
        None => findings.note(
            "not inside a git work tree: only git, PATH and the configuration were checked",
            Some("run `nbmyst doctor` inside a repository"),
        ),
    }
    Ok(findings.0)
}

// ---------------------------------------------------------------------------------------------
// The configuration, read once

/// Every configuration entry doctor looks at, with where git read it.
struct Config {
    entries: Vec<ConfigEntry>,
}

impl Config {
    fn read(cwd: &Path) -> Result<Config, Error> {
        let entries = git::config_entries(cwd, None, "^(diff|merge|filter)\\.")?;
        Ok(Config { entries })
    }

    /// The value git uses for `key` (the last one read), with its entry.
    fn get(&self, key: &str) -> Option<&ConfigEntry> {
        let key = normalise_key(key);
        self.entries
            .iter()
            .rev()
            .find(|e| normalise_key(&e.key) == key)
    }

    fn value(&self, key: &str) -> Option<&str> {
        self.get(key).map(|e| e.value.as_deref().unwrap_or("true"))
    }

    /// Whether `key` is a true boolean.
    fn is_true(&self, key: &str) -> bool {
        self.value(key).is_some_and(|v| {
            matches!(
                v.to_ascii_lowercase().as_str(),
                "true" | "yes" | "on" | "1" | ""
            )
        })
    }

    /// The entries of `section.subsection.*`.
    fn section(&self, section: &str, subsection: &str) -> Vec<&ConfigEntry> {
        let prefix = format!("{}.{subsection}.", section.to_ascii_lowercase());
        self.entries
            .iter()
            .filter(|e| e.key.starts_with(&prefix))
            .collect()
    }
}

/// git compares section and key names without case, subsections with case.
fn normalise_key(key: &str) -> String {
    match (key.find('.'), key.rfind('.')) {
        (Some(first), Some(last)) if first < last => format!(
            "{}{}{}",
            key[..first].to_ascii_lowercase(),
            &key[first..last],
            key[last..].to_ascii_lowercase()
        ),
        _ => key.to_ascii_lowercase(),
    }
}

/// The install command that rewrites the file an entry came from.
fn install_command_for(entry: Option<&ConfigEntry>, in_repo: bool) -> String {
    match entry.map(|e| (e.scope.as_str(), e.origin.as_str())) {
        Some(("global", _)) => "nbmyst install --global".to_owned(),
        Some(("system", _)) => "nbmyst install --system".to_owned(),
        Some(("local", origin)) if !origin.ends_with("config") || origin.contains(".gitconfig") => {
            let file = origin.strip_prefix("file:").unwrap_or(origin);
            format!("nbmyst install --file {file}")
        }
        Some(_) => "nbmyst install".to_owned(),
        None if in_repo => "nbmyst install (this repository) or nbmyst install --global".to_owned(),
        None => "nbmyst install --global".to_owned(),
    }
}

/// Where an entry was read, for messages.
fn origin_of(entry: &ConfigEntry) -> String {
    let file = entry.origin.strip_prefix("file:").unwrap_or(&entry.origin);
    format!("{} config, {file}", entry.scope)
}

// ---------------------------------------------------------------------------------------------
// The checks

/// The parts to check: those this binary has, less the external diff unless it is configured.
fn checked_parts(config: &Config) -> Vec<Part> {
    available_parts()
        .into_iter()
        .filter(|p| *p != Part::ExtDiff || config.get("diff.nbmyst.command").is_some())
        .collect()
}

fn check_git_version(findings: &mut Findings, config: &Config) -> Result<(), Error> {
    let Some(version) = git::version()? else {
        findings.note(
            "cannot tell which version git is",
            Some("git --version should print `git version X.Y.Z`"),
        );
        return Ok(());
    };
    let GitVersion(major, minor, patch) = version;
    let shown = format!("{major}.{minor}.{patch}");
    let mut old = false;
    let driver = config.value("merge.nbmyst.driver").unwrap_or("");
    if version < GIT_FOR_LABELS && ["%S", "%X", "%Y"].iter().any(|p| driver.contains(p)) {
        old = true;
        findings.problem(
            format!(
                "git {shown} is older than 2.44: the merge driver gets the literal text `%S`, \
                 `%X`, `%Y` instead of the conflict labels (HEAD, the branch name)"
            ),
            "upgrade git to 2.44 or later",
        );
    }
    if version < GIT_FOR_TRUST_EXIT_CODE && config.get("diff.nbmyst.trustExitCode").is_some() {
        old = true;
        findings.problem(
            format!(
                "git {shown} is older than 2.46, which is the first to read \
                 diff.nbmyst.trustExitCode: any exit status but 0 from the external diff stops \
                 `git diff`"
            ),
            "upgrade git to 2.46 or later, or: git config --unset diff.nbmyst.trustExitCode",
        );
    }
    if !old {
        findings.ok(format!("git {shown}"));
    }
    Ok(())
}

fn check_program(findings: &mut Findings, env: &Env) {
    let this = format!(
        "nbmyst {} ({})",
        env!("CARGO_PKG_VERSION"),
        current_exe_display()
    );
    let Some(found) = find_on_path(env, PROGRAM) else {
        findings.problem(
            "`nbmyst` is not on PATH: git shows notebooks as raw JSON and merges them as text",
            "cargo install nbmyst (it goes to ~/.cargo/bin, which must be on PATH), or add the \
             folder that holds nbmyst to PATH",
        );
        return;
    };
    if is_current_exe(&found) {
        findings.ok(format!("git runs this nbmyst: {}", found.display()));
        return;
    }
    let version = Command::new(&found)
        .arg("--version")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
    let ours = format!("nbmyst {}", env!("CARGO_PKG_VERSION"));
    let here = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf));
    let put_first = here
        .map(|d| format!(", or put {} first on PATH", d.display()))
        .unwrap_or_default();
    match version {
        Some(v) if v == ours => findings.note(
            format!(
                "git runs {} ({v}), a copy of the same version as this {this}",
                found.display()
            ),
            None::<String>,
        ),
        Some(v) => findings.problem(
            format!("git runs {} ({v}), not this {this}", found.display()),
            format!("cargo install nbmyst --force{put_first}"),
        ),
        None => findings.problem(
            format!(
                "git runs {}, which does not answer `--version` as nbmyst does; this is {this}",
                found.display()
            ),
            format!("remove it or move it after nbmyst on PATH{put_first}"),
        ),
    }
}

fn check_registration(findings: &mut Findings, config: &Config, parts: &[Part], in_repo: bool) {
    for part in parts {
        let mut missing = Vec::new();
        let mut wrong = Vec::new();
        let mut from = None;
        for entry in ENTRIES.iter().filter(|e| e.part == *part) {
            let expected = (entry.value)();
            match config.get(entry.key) {
                None => missing.push(*entry),
                Some(found) => {
                    from.get_or_insert(found);
                    if found.value.as_deref() != Some(expected.as_str()) {
                        wrong.push((*entry, found));
                    }
                }
            }
        }
        let name = part_name(*part);
        let essential_missing: Vec<_> = missing.iter().filter(|e| e.essential).collect();
        if !essential_missing.is_empty() {
            let keys: Vec<_> = essential_missing.iter().map(|e| e.key).collect();
            findings.problem(
                format!(
                    "the {name} is not registered: {} not set, so git does not run nbmyst for it",
                    keys.join(", ")
                ),
                install_command_for(from, in_repo),
            );
            continue;
        }
        let mut fine = true;
        for (entry, found) in &wrong {
            fine = false;
            let value = found.value.as_deref().unwrap_or("");
            let fix = install_command_for(Some(found), in_repo);
            if entry.key == "diff.nbmyst.textconv" && other_version(value).is_some() {
                let version = other_version(value).unwrap_or_default();
                findings.problem(
                    format!(
                        "{} was written by nbmyst {version} ({}): the textconv cache keyed to it \
                         may hold that version's text",
                        entry.key,
                        origin_of(found)
                    ),
                    fix,
                );
            } else if !entry.essential || value.contains(&format!("nbmyst {}", part.subcommand())) {
                findings.note(
                    format!(
                        "{} = {value} ({}), not what install writes: {}",
                        entry.key,
                        origin_of(found),
                        (entry.value)()
                    ),
                    Some(fix),
                );
            } else {
                findings.problem(
                    format!(
                        "{} runs `{value}` ({}), not nbmyst",
                        entry.key,
                        origin_of(found)
                    ),
                    fix,
                );
            }
        }
        for entry in missing {
            fine = false;
            findings.note(
                format!(
                    "{} is not set (install writes `{}`)",
                    entry.key,
                    (entry.value)()
                ),
                Some(install_command_for(from, in_repo)),
            );
        }
        if fine {
            let place = from.map(origin_of).unwrap_or_default();
            findings.ok(format!("the {name} is registered ({place})"));
        }
    }
    // A merge driver section without a command stops every merge that uses it.
    let merge_keys = config.section("merge", DRIVER);
    if !merge_keys.is_empty()
        && config.get("merge.nbmyst.driver").is_none()
        && !parts.contains(&Part::Merge)
    {
        findings.problem(
            "merge.nbmyst has keys but no driver: git stops any merge of a file with \
             merge=nbmyst (\"custom merge driver nbmyst lacks command line\")",
            "git config --remove-section merge.nbmyst (in the file that holds it)",
        );
    }
}

/// The version in a textconv command written by another nbmyst, if it is one.
fn other_version(value: &str) -> Option<String> {
    let ours = install::textconv_command();
    let prefix = ours.strip_suffix(install::CACHE_KEY)?;
    let version = value.strip_prefix(prefix)?.strip_prefix("nbmyst-")?;
    (!version.is_empty() && !version.contains(char::is_whitespace)).then(|| version.to_owned())
}

fn part_name(part: Part) -> &'static str {
    match part {
        Part::Textconv => "diff driver (textconv)",
        Part::ExtDiff => "external diff",
        Part::Merge => "merge driver",
    }
}

/// The attributes of the notebooks doctor looked at.
struct Bound {
    /// Tracked notebooks, or one made-up path at the top when there are none.
    paths: Vec<String>,
    /// Whether `paths` are tracked notebooks.
    tracked: bool,
    /// For each path: (attribute, value).
    values: Vec<Vec<(String, String)>>,
}

impl Bound {
    fn value_of<'a>(&'a self, index: usize, attribute: &str) -> &'a str {
        self.values
            .get(index)
            .and_then(|vs| vs.iter().find(|(a, _)| a == attribute))
            .map_or("unspecified", |(_, v)| v.as_str())
    }
}

fn check_binding(
    findings: &mut Findings,
    repo: &Repo,
    parts: &[Part],
    config: &Config,
    env: &Env,
) -> Result<Bound, Error> {
    let mut paths: Vec<String> = git::ls_files(&repo.top, &["*.ipynb"])?;
    let tracked = !paths.is_empty();
    if !tracked {
        paths.push("nbmyst-doctor-probe.ipynb".to_owned());
    }
    let bound = Bound {
        values: git::check_attr(&repo.top, &["diff", "merge", "filter"], &paths)?,
        paths,
        tracked,
    };
    let what = if bound.tracked {
        count(bound.paths.len(), "tracked notebook")
    } else {
        "a new notebook (none is tracked)".to_owned()
    };
    let rules: Vec<_> = attribute_files(&repo.top, Some(repo), env)?
        .iter()
        .flat_map(|(file, rank)| read_rules(file, *rank))
        .collect();
    let mut attributes: Vec<&str> = Vec::new();
    for part in parts {
        if !attributes.contains(&part.attribute()) {
            attributes.push(part.attribute());
        }
    }
    let mut all_bound = Vec::new();
    for attribute in &attributes {
        let mut others: Vec<(String, Vec<&str>)> = Vec::new();
        for (i, path) in bound.paths.iter().enumerate() {
            let value = bound.value_of(i, attribute);
            if value == DRIVER {
                continue;
            }
            match others.iter_mut().find(|(v, _)| v == value) {
                Some((_, list)) => list.push(path),
                None => others.push((value.to_owned(), vec![path])),
            }
        }
        if others.is_empty() {
            all_bound.push(format!("{attribute}={DRIVER}"));
            continue;
        }
        let mut text = String::new();
        for (value, list) in &others {
            let shown = match value.as_str() {
                "unspecified" => format!("no {attribute} attribute"),
                "unset" => format!("`-{attribute}` (binary)"),
                "set" => format!("`{attribute}` (plain text)"),
                other => match tool_of(other) {
                    Some(tool) => format!("`{attribute}={other}` ({tool} driver)"),
                    None => format!("`{attribute}={other}`"),
                },
            };
            let examples: Vec<&str> = list.iter().take(3).copied().collect();
            let _ = write!(
                text,
                "{}{} {} {shown}",
                if text.is_empty() { "" } else { "; " },
                if bound.tracked {
                    format!("{} of {}", list.len(), bound.paths.len())
                } else {
                    "a new notebook".to_owned()
                },
                if bound.tracked {
                    format!("({}{}) get", examples.join(", "), ellipsis(list.len(), 3))
                } else {
                    "would get".to_owned()
                },
            );
        }
        let part = parts
            .iter()
            .find(|p| p.attribute() == *attribute)
            .copied()
            .unwrap_or(Part::Textconv);
        let fix = binding_fix(&rules, part, parts, config, repo);
        findings.problem(
            format!("notebooks do not all use nbmyst's {attribute}: {text}"),
            fix,
        );
    }
    if !all_bound.is_empty() {
        findings.ok(format!("{what}: {}", all_bound.join(" ")));
    }
    // merge=nbmyst without a merge driver in this binary or the configuration.
    if !parts.contains(&Part::Merge) && config.get("merge.nbmyst.driver").is_none() {
        let merged: Vec<&str> = (0..bound.paths.len())
            .filter(|i| bound.value_of(*i, "merge") == DRIVER)
            .map(|i| bound.paths[i].as_str())
            .collect();
        if !merged.is_empty() {
            findings.note(
                "notebooks have merge=nbmyst but no merge driver is configured: git merges them \
                 as text",
                Some(if Part::Merge.available() {
                    "nbmyst install".to_owned()
                } else {
                    "remove merge=nbmyst from .gitattributes, or install an nbmyst with a merge \
                     driver"
                        .to_owned()
                }),
            );
        }
    }
    Ok(bound)
}

/// What to change so that notebooks get `part`'s attribute: the rules that beat nbmyst's line
/// (or the line install would add), each with its exact change, and install if the line is
/// missing.
fn binding_fix(rules: &[Rule], part: Part, parts: &[Part], config: &Config, repo: &Repo) -> String {
    let ours_token = format!("{}={DRIVER}", part.attribute());
    let ours = rules
        .iter()
        .filter(|r| r.tokens.contains(&ours_token))
        .max_by_key(|r| (r.rank, r.number));
    let conflicts: Vec<Conflict> = rules
        .iter()
        .filter_map(|r| conflict_of(r, &[part]))
        .collect();
    let beating: Vec<&Conflict> = conflicts
        .iter()
        .filter(|c| match ours {
            Some(ours) if same_file(&c.rule.file, &ours.file) => c.rule.number > ours.number,
            Some(ours) => c.rule.rank > ours.rank,
            None => c.rule.rank > RANK_TOP,
        })
        .collect();
    let shown: Vec<&Conflict> = if beating.is_empty() && ours.is_some() {
        conflicts.iter().collect()
    } else {
        beating
    };
    let mut fix = String::new();
    if ours.is_none() {
        let installed = config.get(ENTRIES[0].key);
        let _ = write!(
            fix,
            "{} (it adds `{}`)",
            install_command_for(installed, true),
            install::attributes_line(parts, false)
        );
    }
    for conflict in shown {
        let _ = write!(
            fix,
            "{}{}:{}: `{}` {}; {}:\n{}",
            if fix.is_empty() { "" } else { "\n" },
            show_path(&conflict.rule.file, Some(repo)),
            conflict.rule.number,
            conflict.rule.text,
            conflict.describe(),
            conflict.action(),
            conflict.change()
        );
    }
    fix
}

fn ellipsis(count: usize, shown: usize) -> &'static str {
    if count > shown {
        ", ..."
    } else {
        ""
    }
}

fn check_filters(findings: &mut Findings, bound: &Bound, config: &Config) {
    let mut names: Vec<&str> = Vec::new();
    for i in 0..bound.paths.len() {
        let value = bound.value_of(i, "filter");
        if !matches!(value, "unspecified" | "unset" | "set") && !names.contains(&value) {
            names.push(value);
        }
    }
    for name in names {
        let clean = config
            .value(&format!("filter.{name}.clean"))
            .unwrap_or("(no clean command)")
            .to_owned();
        let tool = if name == "nbstripout" {
            ""
        } else if clean.contains("nbstripout") {
            " (nbstripout's)"
        } else if clean.contains("nbdev") {
            " (nbdev's)"
        } else {
            ""
        };
        let required_key = format!("filter.{name}.required");
        if config.is_true(&required_key) {
            let scope = config
                .get(&required_key)
                .map(|e| format!(" --{}", e.scope))
                .filter(|s| matches!(s.as_str(), " --global" | " --system" | " --local"))
                .unwrap_or_default();
            findings.problem(
                format!(
                    "notebooks go through the `{name}` filter{tool} with {required_key} = true: \
                     every git command that reads a notebook (add, status, diff, merge, \
                     checkout) fails wherever `{clean}` cannot run, such as another virtualenv \
                     or CI"
                ),
                format!(
                    "git config{scope} --unset {required_key} (the filter then runs where it \
                     can), or remove the filter (`nbstripout --uninstall`) and strip outputs in \
                     a pre-commit hook"
                ),
            );
        } else {
            findings.note(
                format!(
                    "notebooks go through the `{name}` filter{tool} (`{clean}`): git stores \
                     what it writes, so diffs and merges see cleaned notebooks"
                ),
                None::<String>,
            );
        }
    }
}

/// Configuration of other notebook tools that no notebook uses, and `diff.external`.
fn check_other_drivers(findings: &mut Findings, bound: &Bound, config: &Config, parts: &[Part]) {
    for (section, name) in [
        ("diff", "jupyternotebook"),
        ("merge", "jupyternotebook"),
        ("diff", "ipynb"),
        ("merge", "nbdev-merge"),
    ] {
        let keys = config.section(section, name);
        if keys.is_empty() {
            continue;
        }
        let used = (0..bound.paths.len()).any(|i| bound.value_of(i, section) == name);
        if used {
            continue; // reported with the attributes
        }
        let tool = tool_of(name).unwrap_or("another tool's");
        let scope = keys
            .first()
            .map(|e| format!(" --{}", e.scope))
            .filter(|s| matches!(s.as_str(), " --global" | " --system" | " --local"))
            .unwrap_or_default();
        findings.note(
            format!(
                "{tool} {section}.{name} is configured but no notebook uses it: a harmless \
                 leftover"
            ),
            Some(format!(
                "git config{scope} --remove-section {section}.{name}"
            )),
        );
    }
    if let Some(external) = config.get("diff.external") {
        if !parts.contains(&Part::ExtDiff) {
            findings.problem(
                format!(
                    "diff.external = {} ({}) runs for every file without a diff command, \
                     notebooks included: `git diff` never shows nbmyst's text",
                    external.value.as_deref().unwrap_or(""),
                    origin_of(external)
                ),
                format!(
                    "git config --{} --unset diff.external",
                    if external.scope == "command" {
                        "local"
                    } else {
                        &external.scope
                    }
                ),
            );
        }
    }
}

fn check_cache(
    findings: &mut Findings,
    repo: &Repo,
    config: &Config,
    env: &Env,
) -> Result<(), Error> {
    if !git::ref_exists(&repo.top, TEXTCONV_CACHE_REF)? {
        return Ok(());
    }
    let clear = format!("git update-ref -d {TEXTCONV_CACHE_REF}");
    if !config.is_true("diff.nbmyst.cachetextconv") {
        findings.note(
            format!("{TEXTCONV_CACHE_REF} holds a textconv cache that nothing uses"),
            Some(clear),
        );
        return Ok(());
    }
    let command = config.value("diff.nbmyst.textconv").unwrap_or("");
    let message = git::commit_message(&repo.top, TEXTCONV_CACHE_REF)?;
    if message.trim_end_matches('\n') != command {
        findings.ok(
            "the textconv cache was made by another command: git drops it at its next use"
                .to_owned(),
        );
        return Ok(());
    }
    let notes: Vec<(String, String)> = git::ls_tree(&repo.top, TEXTCONV_CACHE_REF, &[])?
        .into_iter()
        .map(|e| (e.path.replace('/', ""), e.oid))
        .collect();
    // No commit yet: nothing to compare.
    let head = git::ls_tree(&repo.top, "HEAD", &[]).unwrap_or_default();
    let mut pairs: Vec<(String, String, String)> = head
        .into_iter()
        .filter(|e| e.path.ends_with(".ipynb"))
        .filter_map(|e| {
            let note = notes.iter().find(|(object, _)| *object == e.oid)?;
            Some((e.path, e.oid, note.1.clone()))
        })
        .collect();
    pairs.truncate(CACHE_SAMPLE);
    if pairs.is_empty() {
        findings.ok(format!(
            "textconv cache: none of the notebooks at HEAD is in it ({})",
            count(notes.len(), "entry")
        ));
        return Ok(());
    }
    let mut oids = Vec::new();
    for (_, blob, note) in &pairs {
        oids.push(blob.clone());
        oids.push(note.clone());
    }
    let contents = git::read_blobs(&repo.top, &oids)?;
    let mut stale = Vec::new();
    for (i, (path, _, _)) in pairs.iter().enumerate() {
        let (Some(Some(blob)), Some(Some(cached))) = (contents.get(2 * i), contents.get(2 * i + 1))
        else {
            continue;
        };
        if let Some(fresh) = convert_like_git(blob, path, repo, env) {
            if fresh != *cached {
                stale.push(path.as_str());
            }
        }
    }
    if stale.is_empty() {
        findings.ok(format!(
            "the textconv cache is current ({} at HEAD checked)",
            count(pairs.len(), "notebook")
        ));
    } else {
        let examples: Vec<&str> = stale.iter().take(3).copied().collect();
        findings.problem(
            format!(
                "the textconv cache is stale: for {} of {} at HEAD ({}{}) it holds text this \
                 nbmyst and these jupytext settings would not write, and `git log -p` shows that \
                 old text",
                stale.len(),
                count(pairs.len(), "notebook"),
                examples.join(", "),
                ellipsis(stale.len(), 3)
            ),
            clear,
        );
    }
    Ok(())
}

/// What textconv prints for `blob` when git hands it over as a temporary copy of `path`
/// (`$TMPDIR/git-blob-XXXXXX/<basename>`), run from the top of the work tree.
fn convert_like_git(blob: &[u8], path: &str, repo: &Repo, env: &Env) -> Option<Vec<u8>> {
    let name = Path::new(path).file_name()?;
    let dir = std::env::temp_dir().join(format!("git-blob-nbmyst-doctor-{}", std::process::id()));
    fs::create_dir_all(&dir).ok()?;
    let file = dir.join(name);
    let result = (|| {
        fs::write(&file, blob).ok()?;
        let env = Env {
            cwd: Some(repo.top.clone()),
            nbmyst: None,
            ..env.clone()
        };
        let args = TextconvArgs {
            file: PathBuf::from(&file),
        };
        let (mut out, mut sink) = (Vec::new(), Vec::new());
        textconv::run(&args, &env, &mut &[][..], &mut out, &mut sink).ok()?;
        Some(out)
    })();
    let _ = fs::remove_dir_all(&dir);
    result
}

/// Paired notebooks, through this binary's `check` when it has one.
fn check_pairs(findings: &mut Findings, repo: &Repo) {
    if !has_subcommand("check") {
        return;
    }
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    let output = Command::new(exe)
        .arg("check")
        .current_dir(&repo.top)
        .stdin(Stdio::null())
        .output();
    match output {
        Ok(out) if out.status.code() == Some(0) => {
            findings.ok("paired notebooks are in step (nbmyst check)");
        }
        Ok(out) if out.status.code() == Some(i32::from(crate::EXIT_FOUND)) => {
            let report = String::from_utf8_lossy(&out.stdout);
            let lines: Vec<&str> = report.lines().take(CHECK_LINES).collect();
            findings.problem(
                format!("paired notebooks are out of step:\n{}", lines.join("\n")),
                "nbmyst sync",
            );
        }
        Ok(out) => {
            let stderr = String::from_utf8_lossy(&out.stderr);
            findings.note(
                format!(
                    "nbmyst check failed ({}): {}",
                    out.status,
                    stderr.lines().next().unwrap_or("")
                ),
                Some("nbmyst check"),
            );
        }
        Err(err) => findings.note(
            format!("cannot run nbmyst check: {err}"),
            Some("nbmyst check"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_compare_as_git_does() {
        assert_eq!(
            normalise_key("Diff.nbMyst.TextConv"),
            "diff.nbMyst.textconv"
        );
        assert_eq!(normalise_key("core.attributesFile"), "core.attributesfile");
    }

    #[test]
    fn another_versions_textconv_command_is_recognised() {
        let ours = install::textconv_command();
        assert_eq!(
            other_version(&ours).as_deref(),
            Some(env!("CARGO_PKG_VERSION"))
        );
        let old = ours.replace(install::CACHE_KEY, "nbmyst-0.0.1");
        assert_eq!(other_version(&old).as_deref(), Some("0.0.1"));
        assert_eq!(other_version("nbmyst textconv"), None);
    }
}
