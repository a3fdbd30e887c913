//! Compiles the interface texts (`locales/en.json`, `locales/ru.json`) into the `i18n` module with
//! leptos_i18n, and refuses to build while the two languages disagree: a key, an interpolated
//! `{{ value }}` or a Russian plural form missing in one of them is an error, not a warning.

use std::collections::{BTreeMap, BTreeSet};
use std::error::Error;
use std::path::{Path, PathBuf};

use leptos_i18n_parser::parse_locales::options::{Config, ParseOptions};
use leptos_i18n_parser::parse_locales::parse_locales;

/// The default language first: the other files must have exactly its keys.
const LOCALES: [&str; 2] = ["en", "ru"];

/// The plural forms a count takes in Russian (CLDR): 1, 21 (one); 2–4, 22 (few); 5–20, 25 (many);
/// fractions (other). Missing one of them would silently show the `_other` text.
const RUSSIAN_PLURAL_FORMS: [&str; 4] = ["one", "few", "many", "other"];

const PLURAL_FORMS: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap());
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").unwrap()).join("i18n");

    let mut problems = compare_locales(&manifest_dir.join("locales"))?;

    let (default, others) = LOCALES.split_first().unwrap();
    // `t_string!` and friends need the texts with values as plain strings too.
    let options = ParseOptions::default().interpolate_display(true);
    let config = Config::new(default)?
        .add_locales(others)?
        .parse_options(options);
    let parsed = parse_locales(Some(manifest_dir), config)?;
    for file in parsed.tracked_files.iter().flatten() {
        println!("cargo::rerun-if-changed={file}");
    }
    // leptos_i18n only warns about a missing or surplus key and falls back to English.
    problems.extend(parsed.diag.warnings().iter().map(ToString::to_string));
    problems.extend(parsed.diag.errors().iter().map(ToString::to_string));
    if !problems.is_empty() {
        eprintln!("The translations in locales/ disagree:");
        for problem in &problems {
            eprintln!("  {problem}");
        }
        return Err(format!("{} translation problems in locales/", problems.len()).into());
    }

    let code = leptos_i18n_codegen::gen_code(&parsed, None, false, None, false)?;
    std::fs::create_dir_all(&out_dir)?;
    std::fs::write(out_dir.join("mod.rs"), code.to_string())?;
    Ok(())
}

/// What one language has for a key: the plural forms defined and the values interpolated.
#[derive(Default, PartialEq)]
struct Entry {
    forms: BTreeSet<String>,
    values: BTreeSet<String>,
}

/// Every key of every language file, each problem named by key and language.
fn compare_locales(dir: &Path) -> Result<Vec<String>, Box<dyn Error>> {
    let mut languages = Vec::new();
    for locale in LOCALES {
        let path = dir.join(format!("{locale}.json"));
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let json: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| format!("{} is not JSON: {e}", path.display()))?;
        let mut entries = BTreeMap::new();
        collect(&json, "", &mut entries);
        languages.push((locale, entries));
    }
    let (default, others) = languages.split_first().unwrap();
    let mut problems = Vec::new();
    for (locale, entries) in others {
        for (key, entry) in &default.1 {
            let Some(theirs) = entries.get(key) else {
                problems.push(format!("{key}: missing in {locale}.json"));
                continue;
            };
            if theirs.values != entry.values {
                problems.push(format!(
                    "{key}: {locale}.json interpolates {:?}, {}.json {:?}",
                    theirs.values, default.0, entry.values
                ));
            }
        }
        for key in entries.keys().filter(|key| !default.1.contains_key(*key)) {
            problems.push(format!(
                "{key}: in {locale}.json but not in {}.json",
                default.0
            ));
        }
    }
    for (locale, entries) in &languages {
        if *locale != "ru" {
            continue;
        }
        for (key, entry) in entries.iter().filter(|(_, entry)| !entry.forms.is_empty()) {
            let missing: Vec<&str> = RUSSIAN_PLURAL_FORMS
                .into_iter()
                .filter(|form| !entry.forms.contains(*form))
                .collect();
            if !missing.is_empty() {
                problems.push(format!("{key}: ru.json lacks the plural forms {missing:?}"));
            }
        }
    }
    Ok(problems)
}

/// Walks the nested objects: `{"a": {"b_one": …, "b_other": …}}` is the key `a.b` with two forms.
fn collect(value: &serde_json::Value, prefix: &str, entries: &mut BTreeMap<String, Entry>) {
    let serde_json::Value::Object(map) = value else {
        return;
    };
    for (name, value) in map {
        let (name, form) = match name.rsplit_once('_') {
            Some((base, form)) if PLURAL_FORMS.contains(&form) => (base, Some(form)),
            _ => (name.as_str(), None),
        };
        let key = if prefix.is_empty() {
            name.to_owned()
        } else {
            format!("{prefix}.{name}")
        };
        if value.is_object() {
            collect(value, &key, entries);
            continue;
        }
        let entry = entries.entry(key).or_default();
        entry.forms.extend(form.map(str::to_owned));
        if let serde_json::Value::String(text) = value {
            entry.values.extend(interpolated(text));
        }
    }
}

/// The names in `{{ name }}` (or `{{ name, formatter }}`).
fn interpolated(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split("{{").skip(1).filter_map(|part| {
        let inside = part.split("}}").next()?;
        let name = inside.split(',').next()?.trim();
        (!name.is_empty()).then(|| name.to_owned())
    })
}
