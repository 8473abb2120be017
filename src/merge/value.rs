//! Key-by-key three-way merge of JSON mappings (notebook and cell metadata, unknown fields).
//!
//! A key changed on one side only takes that side's value; the same change on both sides is no
//! conflict; mappings changed on both sides are merged key by key (except the keys named atomic,
//! such as `kernelspec`, whose parts only make sense together). Anything else changed differently
//! on both sides is a [`ValueConflict`]: the result keeps ours' value (or ours' removal of the
//! key), and the caller shows the conflict to the user. A value is never spliced.

use crate::notebook::{Json, Map};

/// A value both sides changed differently.
#[derive(Clone, Debug, PartialEq)]
pub struct ValueConflict {
    /// Keys from the mapping merged down to the value.
    pub path: Vec<String>,
    /// Each side's value; `None` where the key is absent.
    pub base: Option<Json>,
    pub ours: Option<Json>,
    pub theirs: Option<Json>,
}

/// How keys are treated by [`merge_maps`].
#[derive(Clone, Copy, Debug, Default)]
pub struct KeyRules<'a> {
    /// Top-level keys whose mapping is merged as one value.
    pub atomic: &'a [&'a str],
    /// Top-level keys whose conflicts are settled silently with `transient_side`'s value.
    pub transient: &'a [&'a str],
    /// For transient keys: take theirs (true) or ours (false) on a conflict.
    pub transient_theirs: bool,
}

/// Merge three mappings; `base` is `None` when there is no common ancestor. Conflicts are
/// appended to `conflicts` with their path below `prefix`.
pub fn merge_maps(
    base: Option<&Map>,
    ours: &Map,
    theirs: &Map,
    rules: &KeyRules<'_>,
    prefix: &[String],
    conflicts: &mut Vec<ValueConflict>,
) -> Map {
    if ours == theirs || base == Some(theirs) {
        return ours.clone();
    }
    if base == Some(ours) {
        return theirs.clone();
    }
    let mut out = Map::new();
    let keys = ours
        .keys()
        .chain(theirs.keys().filter(|k| !ours.contains_key(*k)))
        .chain(
            base.into_iter()
                .flat_map(|b| b.keys())
                .filter(|k| !ours.contains_key(*k) && !theirs.contains_key(*k)),
        );
    for key in keys {
        let (b, o, t) = (
            base.and_then(|m| m.get(key)),
            ours.get(key),
            theirs.get(key),
        );
        let top = prefix.is_empty();
        let mut path = prefix.to_vec();
        path.push(key.clone());
        let merged = if top && rules.transient.contains(&key.as_str()) {
            merge_value(b, o, t, true, &path, &mut Vec::new(), || {
                if rules.transient_theirs {
                    t.cloned()
                } else {
                    o.cloned()
                }
            })
        } else {
            let recurse = !(top && rules.atomic.contains(&key.as_str()));
            merge_value(b, o, t, recurse, &path, conflicts, || o.cloned())
        };
        if let Some(v) = merged {
            out.insert(key.clone(), v);
        }
    }
    out
}

/// Merge one value; `on_conflict` gives the value kept when both sides changed it differently.
fn merge_value(
    b: Option<&Json>,
    o: Option<&Json>,
    t: Option<&Json>,
    recurse: bool,
    path: &[String],
    conflicts: &mut Vec<ValueConflict>,
    on_conflict: impl FnOnce() -> Option<Json>,
) -> Option<Json> {
    if o == t || b == t {
        return o.cloned();
    }
    if b == o {
        return t.cloned();
    }
    if recurse {
        if let (Some(Json::Object(om)), Some(Json::Object(tm))) = (o, t) {
            let bm = match b {
                Some(Json::Object(bm)) => Some(bm),
                None => None,
                // A non-mapping base that both sides turned into (different) mappings: merge
                // them as two added mappings.
                Some(_) => None,
            };
            let rules = KeyRules::default();
            return Some(Json::Object(merge_maps(
                bm, om, tm, &rules, path, conflicts,
            )));
        }
    }
    conflicts.push(ValueConflict {
        path: path.to_vec(),
        base: b.cloned(),
        ours: o.cloned(),
        theirs: t.cloned(),
    });
    on_conflict()
}

/// Merge three optional values as one (no recursion); `None` when the conflict is real, with
/// ours' value to keep.
pub fn merge_scalar<T: PartialEq + Clone>(b: Option<&T>, o: &T, t: &T) -> Result<T, T> {
    if o == t || b == Some(t) {
        Ok(o.clone())
    } else if b == Some(o) {
        Ok(t.clone())
    } else {
        Err(o.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notebook::json;

    fn map(text: &str) -> Map {
        match json::parse(text).unwrap() {
            Json::Object(m) => m,
            _ => panic!("not an object"),
        }
    }

    fn merged(b: &str, o: &str, t: &str, atomic: &[&str]) -> (String, Vec<String>) {
        let rules = KeyRules {
            atomic,
            ..KeyRules::default()
        };
        let mut conflicts = Vec::new();
        let m = merge_maps(Some(&map(b)), &map(o), &map(t), &rules, &[], &mut conflicts);
        (
            json::map_to_python_json_compact(&m, false, true),
            conflicts.iter().map(|c| c.path.join(".")).collect(),
        )
    }

    #[test]
    fn keys_merge_one_by_one() {
        let (m, c) = merged(
            r#"{"a": 1, "b": 2, "c": 3}"#,
            r#"{"a": 10, "b": 2}"#,
            r#"{"a": 1, "b": 20, "c": 3, "d": 4}"#,
            &[],
        );
        assert_eq!(m, r#"{"a": 10, "b": 20, "d": 4}"#);
        assert!(c.is_empty());
    }

    #[test]
    fn a_value_changed_on_both_sides_conflicts_and_keeps_ours() {
        let (m, c) = merged(
            r#"{"li": {"name": "python", "version": "3.11.4"}}"#,
            r#"{"li": {"name": "python", "version": "3.11.9"}}"#,
            r#"{"li": {"name": "python", "version": "3.12.1"}}"#,
            &[],
        );
        assert_eq!(m, r#"{"li": {"name": "python", "version": "3.11.9"}}"#);
        assert_eq!(c, ["li.version"]);
    }

    #[test]
    fn atomic_mappings_are_never_mixed() {
        let (m, c) = merged(
            r#"{"k": {"name": "a", "display_name": "A"}}"#,
            r#"{"k": {"name": "b", "display_name": "A"}}"#,
            r#"{"k": {"name": "a", "display_name": "C"}}"#,
            &["k"],
        );
        assert_eq!(m, r#"{"k": {"display_name": "A", "name": "b"}}"#);
        assert_eq!(c, ["k"]);
    }

    #[test]
    fn scalars() {
        assert_eq!(merge_scalar(Some(&1), &1, &2), Ok(2));
        assert_eq!(merge_scalar(Some(&1), &3, &2), Err(3));
        assert_eq!(merge_scalar(None, &2, &2), Ok(2));
    }
}
