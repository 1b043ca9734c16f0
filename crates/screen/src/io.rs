//! The only file-system access: loading list files from a path.

use crate::model::SanctionsList;
use crate::{eu, ftm, ofac, uk, un, Error};
use std::path::Path;

/// Reads a list file as UTF-8 (a leading byte-order mark is dropped). Bytes
/// that are not UTF-8 (a Latin-1 or Windows-1252 export, a corrupt download)
/// are an error naming the file, line and byte: silently replacing them would
/// index wrong names.
fn read(p: &Path) -> Result<String, Error> {
    let bytes = std::fs::read(p).map_err(|e| Error::Input(format!("{}: {e}", p.display())))?;
    let bytes = bytes
        .strip_prefix(b"\xef\xbb\xbf")
        .unwrap_or(&bytes)
        .to_vec();
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let b = e.as_bytes();
        let line = 1 + b[..at].iter().filter(|&&c| c == b'\n').count();
        Error::Input(format!(
            "line {line}: byte {at} (0x{:02x}) is not UTF-8; the lists are published as UTF-8 (re-download, or convert the file)",
            b.get(at).copied().unwrap_or(0)
        ))
        .in_file(p.display().to_string())
    })
}

/// The XML list at `p`: the EU's financial sanctions file (an `export`
/// root) or the UN list; errors name the file.
fn load_xml(p: &Path) -> Result<SanctionsList, Error> {
    let text = read(p)?;
    // The root element: the first tag that is not a declaration or comment.
    let root = text
        .match_indices('<')
        .map(|(i, _)| &text[i + 1..])
        .find(|t| !t.starts_with('?') && !t.starts_with('!'))
        .unwrap_or("");
    let parsed = if root.starts_with("export") {
        eu::parse_eu_xml(&text)
    } else {
        un::parse_un_xml(&text)
    };
    parsed.map_err(|e| e.in_file(p.display().to_string()))
}

/// Whether `p` is the UK's consolidated list (OFSI's `ConList.csv`: its
/// first line says `Last Updated`).
fn is_uk(p: &Path) -> bool {
    use std::io::BufRead;
    let Ok(f) = std::fs::File::open(p) else {
        return false;
    };
    let mut first = String::new();
    let _ = std::io::BufReader::new(f).read_line(&mut first);
    first
        .trim_start_matches('\u{feff}')
        .starts_with("Last Updated")
}

fn load_uk(p: &Path) -> Result<SanctionsList, Error> {
    uk::parse_uk_csv(&read(p)?).map_err(|e| e.in_file(p.display().to_string()))
}

/// Whether `p` is a FollowTheMoney entity file (`*.json`, `*.ftm.json`).
fn is_ftm(p: &Path) -> bool {
    p.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

/// A FollowTheMoney entity file; its list is named by the file
/// (`eu_fsf.ftm.json` is `eu_fsf`), or by its directory when the file has
/// OpenSanctions' generic name (`eu_fsf/entities.ftm.json`).
fn load_ftm(p: &Path) -> Result<SanctionsList, Error> {
    let file = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let stem = file
        .trim_end_matches(".json")
        .trim_end_matches(".ftm")
        .trim_end_matches(".nested");
    let name = if matches!(stem, "entities" | "targets" | "source") {
        p.parent()
            .and_then(|d| d.file_name())
            .and_then(|n| n.to_str())
            .unwrap_or(stem)
    } else {
        stem
    };
    let list: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    ftm::parse_ftm_json(&read(p)?, &list, None).map_err(|e| e.in_file(p.display().to_string()))
}

/// Loads lists from a path:
/// * a `.xml` file: the UN consolidated list, or the EU's financial
///   sanctions file (an `export` root);
/// * a `.csv` file whose first line says `Last Updated`: the UK's
///   consolidated list (OFSI's `ConList.csv`);
/// * a `.json` file: a FollowTheMoney entity file (OpenSanctions' form of
///   the EU, UK, Canadian, Australian, Swiss … lists), named by the file;
/// * an `sdn.csv` file: OFAC (with `alt.csv`/`add.csv` beside it if present);
/// * a directory: every `*.xml`, `*.json` and UK `*.csv` in it, and
///   `sdn.csv` in it or in `ofac/`.
///
/// The OFAC publication date is taken from `sdn.csv`'s modification date.
///
/// All or nothing: the first bad file (unreadable, not UTF-8, malformed,
/// truncated, an entry without a name, an impossible date of birth) makes the
/// whole load fail with an error naming the file and line (see
/// [`un::parse_un_xml`], [`ofac::parse_ofac_csv`]); no partial list is returned.
pub fn load_path(path: &Path) -> Result<Vec<SanctionsList>, Error> {
    let mut out = Vec::new();
    if path.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(path)?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        entries.sort();
        for p in &entries {
            if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("xml")) {
                out.push(load_xml(p)?);
            } else if is_ftm(p) {
                out.push(load_ftm(p)?);
            } else if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) && is_uk(p) {
                out.push(load_uk(p)?);
            }
        }
        for dir in [path.to_path_buf(), path.join("ofac")] {
            let sdn = dir.join("sdn.csv");
            if sdn.is_file() {
                out.push(load_ofac(&sdn)?);
            }
        }
        if out.is_empty() {
            return Err(Error::Input(format!(
                "{}: no *.xml, *.json, UK ConList *.csv or sdn.csv found",
                path.display()
            )));
        }
    } else if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xml"))
    {
        out.push(load_xml(path)?);
    } else if is_ftm(path) {
        out.push(load_ftm(path)?);
    } else if is_uk(path) {
        out.push(load_uk(path)?);
    } else {
        out.push(load_ofac(path)?);
    }
    Ok(out)
}

fn load_ofac(sdn: &Path) -> Result<SanctionsList, Error> {
    let dir = sdn.parent().unwrap_or(Path::new("."));
    let opt = |name: &str| -> Result<String, Error> {
        let p = dir.join(name);
        if p.is_file() {
            read(&p)
        } else {
            Ok(String::new())
        }
    };
    ofac::parse_ofac_csv(
        &read(sdn)?,
        &opt("alt.csv")?,
        &opt("add.csv")?,
        // The legacy CSV files carry no publication date, and a file's
        // modification time is not one: the version is known by its
        // content hash and shown as undated.
        None,
    )
    .map_err(|e| match e {
        // The parser names the file ("sdn.csv"); give its full path.
        Error::File { path, source } => Error::File {
            path: dir.join(path).display().to_string(),
            source,
        },
        e => e.in_file(sdn.display().to_string()),
    })
}
