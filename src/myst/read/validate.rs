//! The nbformat 4.5 schema checks that jupytext's MyST reader triggers: nbformat validates the
//! notebook metadata when it creates the notebook from the header, and each cell's metadata when
//! it creates the cell. Only the parts of the schema that text can reach are checked.

use crate::notebook::{CellType, Json, Map};

/// Check the notebook metadata (the header mapping). The message names the offending key.
pub(crate) fn notebook_metadata(metadata: &Map) -> Result<(), String> {
    if let Some(kernelspec) = metadata.get("kernelspec") {
        let Json::Object(spec) = kernelspec else {
            return Err(format!(
                "`kernelspec` must be a mapping, not {}",
                kernelspec.kind_name()
            ));
        };
        for key in ["name", "display_name"] {
            match spec.get(key) {
                None => return Err(format!("`kernelspec` needs a `{key}`")),
                Some(Json::Str(_)) => {}
                Some(other) => {
                    return Err(format!(
                        "`kernelspec.{key}` must be a string, not {}",
                        other.kind_name()
                    ))
                }
            }
        }
    }
    if let Some(info) = metadata.get("language_info") {
        let Json::Object(info) = info else {
            return Err(format!(
                "`language_info` must be a mapping, not {}",
                info.kind_name()
            ));
        };
        match info.get("name") {
            None => return Err("`language_info` needs a `name`".to_string()),
            Some(Json::Str(_)) => {}
            Some(other) => {
                return Err(format!(
                    "`language_info.name` must be a string, not {}",
                    other.kind_name()
                ))
            }
        }
        for key in ["file_extension", "mimetype", "pygments_lexer"] {
            if let Some(value) = info.get(key) {
                if !matches!(value, Json::Str(_)) {
                    return Err(format!(
                        "`language_info.{key}` must be a string, not {}",
                        value.kind_name()
                    ));
                }
            }
        }
        if let Some(mode) = info.get("codemirror_mode") {
            if !matches!(mode, Json::Str(_) | Json::Object(_)) {
                return Err(format!(
                    "`language_info.codemirror_mode` must be a string or a mapping, not {}",
                    mode.kind_name()
                ));
            }
        }
    }
    if let Some(orig) = metadata.get("orig_nbformat") {
        let ok = matches!(orig, Json::Int(digits) if !digits.starts_with('-') && digits != "0");
        if !ok {
            return Err("`orig_nbformat` must be an integer of at least 1".to_string());
        }
    }
    if let Some(title) = metadata.get("title") {
        if !matches!(title, Json::Str(_)) {
            return Err(format!(
                "`title` must be a string, not {}",
                title.kind_name()
            ));
        }
    }
    if let Some(authors) = metadata.get("authors") {
        if !matches!(authors, Json::Array(_)) {
            return Err(format!(
                "`authors` must be a list, not {}",
                authors.kind_name()
            ));
        }
    }
    Ok(())
}

/// Check a cell's metadata against the schema for its type.
pub(crate) fn cell_metadata(cell_type: CellType, metadata: &Map) -> Result<(), String> {
    if let Some(name) = metadata.get("name") {
        // `^.+$` with Python's `re.search`: one line, not empty (a final `\n` is tolerated).
        let ok = matches!(name, Json::Str(s) if {
            let s = s.strip_suffix('\n').unwrap_or(s);
            !s.is_empty() && !s.contains('\n')
        });
        if !ok {
            return Err("`name` must be a non-empty one-line string".to_string());
        }
    }
    if let Some(tags) = metadata.get("tags") {
        let Json::Array(items) = tags else {
            return Err(format!("`tags` must be a list, not {}", tags.kind_name()));
        };
        for (i, item) in items.iter().enumerate() {
            match item {
                Json::Str(s) if s.is_empty() => return Err("`tags` holds an empty string".into()),
                Json::Str(s) if s.contains(',') => {
                    return Err(format!("tag {s:?} contains a comma"));
                }
                Json::Str(_) => {}
                other => {
                    return Err(format!(
                        "`tags` must hold strings, not {}",
                        other.kind_name()
                    ))
                }
            }
            if items[..i].contains(item) {
                return Err(format!("`tags` lists {} twice", python_repr(item)));
            }
        }
    }
    if let Some(jupyter) = metadata.get("jupyter") {
        if !matches!(jupyter, Json::Object(_)) {
            return Err(format!(
                "`jupyter` must be a mapping, not {}",
                jupyter.kind_name()
            ));
        }
    }
    match cell_type {
        CellType::Code => {
            if let Some(execution) = metadata.get("execution") {
                let Json::Object(execution) = execution else {
                    return Err(format!(
                        "`execution` must be a mapping, not {}",
                        execution.kind_name()
                    ));
                };
                for (key, value) in execution {
                    // The schema's `^.*$` pattern only reaches one-line keys.
                    let key_line = key.strip_suffix('\n').unwrap_or(key);
                    if !key_line.contains('\n') && !matches!(value, Json::Str(_)) {
                        return Err(format!(
                            "`execution.{key}` must be a string, not {}",
                            value.kind_name()
                        ));
                    }
                }
            }
            if let Some(collapsed) = metadata.get("collapsed") {
                if !matches!(collapsed, Json::Bool(_)) {
                    return Err(format!(
                        "`collapsed` must be true or false, not {}",
                        collapsed.kind_name()
                    ));
                }
            }
            if let Some(scrolled) = metadata.get("scrolled") {
                let ok = matches!(scrolled, Json::Bool(_))
                    || matches!(scrolled, Json::Str(s) if s == "auto");
                if !ok {
                    return Err("`scrolled` must be true, false or \"auto\"".to_string());
                }
            }
        }
        CellType::Raw => {
            if let Some(format) = metadata.get("format") {
                if !matches!(format, Json::Str(_)) {
                    return Err(format!(
                        "`format` must be a string, not {}",
                        format.kind_name()
                    ));
                }
            }
        }
        CellType::Markdown => {}
    }
    Ok(())
}

fn python_repr(value: &Json) -> String {
    match value {
        Json::Str(s) => format!("{s:?}"),
        other => other.kind_name().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, Json)]) -> Map {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    fn s(text: &str) -> Json {
        Json::Str(text.to_string())
    }

    #[test]
    fn tags_follow_the_schema() {
        let ok = map(&[("tags", Json::Array(vec![s("a"), s("a\n")]))]);
        assert!(cell_metadata(CellType::Code, &ok).is_ok());
        for bad in [
            s("hide-input"),
            Json::Array(vec![s("")]),
            Json::Array(vec![s("a,b")]),
            Json::Array(vec![s("a"), s("a")]),
            Json::Array(vec![Json::Int("1".into())]),
        ] {
            assert!(cell_metadata(CellType::Markdown, &map(&[("tags", bad)])).is_err());
        }
    }

    #[test]
    fn code_only_keys() {
        let scrolled = map(&[("scrolled", s("yes"))]);
        assert!(cell_metadata(CellType::Code, &scrolled).is_err());
        assert!(cell_metadata(CellType::Markdown, &scrolled).is_ok());
        let format = map(&[("format", Json::Int("1".into()))]);
        assert!(cell_metadata(CellType::Raw, &format).is_err());
        assert!(cell_metadata(CellType::Code, &format).is_ok());
    }

    #[test]
    fn kernelspec_needs_names() {
        let spec = map(&[("kernelspec", Json::Object(map(&[("name", s("python3"))])))]);
        assert!(notebook_metadata(&spec).is_err());
        assert!(notebook_metadata(&map(&[("kernelspec", s("python3"))])).is_err());
        assert!(notebook_metadata(&map(&[("title", Json::Int("1".into()))])).is_err());
        assert!(notebook_metadata(&map(&[("anything", Json::Null)])).is_ok());
    }
}
