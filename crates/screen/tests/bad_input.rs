//! Bad list files: malformed or truncated, wrong encoding, entries without a
//! name, impossible dates, wrong field counts, empty files. Each is an error
//! naming the file and the line (and the entry), and nothing is half-loaded.

use coalesce_screen::io::load_path;
use coalesce_screen::{parse_ofac_csv, parse_un_xml, Error};
use std::path::{Path, PathBuf};

const UN: &str = include_str!("fixtures/un-sample.xml");
const SDN: &str = include_str!("fixtures/ofac/sdn.csv");
const ALT: &str = include_str!("fixtures/ofac/alt.csv");
const ADD: &str = include_str!("fixtures/ofac/add.csv");

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);
impl TempDir {
    fn new(tag: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!(
            "coalesce-screen-{tag}-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).expect("temp dir");
        TempDir(p)
    }
    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.0.join(name);
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d).expect("dir");
        }
        std::fs::write(&p, bytes).expect("write");
        p
    }
}
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn line_of(text: &str, needle: &str) -> usize {
    1 + text[..text.find(needle).expect("needle")]
        .matches('\n')
        .count()
}

fn err_msg(r: Result<impl std::fmt::Debug, Error>) -> String {
    r.expect_err("must fail").to_string()
}

fn assert_has(msg: &str, parts: &[&str]) {
    for p in parts {
        assert!(msg.contains(p), "{msg:?} lacks {p:?}");
    }
}

#[test]
fn fixtures_still_load() {
    assert_eq!(parse_un_xml(UN).expect("un").entities.len(), 3);
    assert_eq!(
        parse_ofac_csv(SDN, ALT, ADD, None)
            .expect("ofac")
            .entities
            .len(),
        3
    );
}

#[test]
fn truncated_un_xml_names_the_line_and_the_open_element() {
    // Cut inside the second INDIVIDUAL, after a complete element.
    let cut = UN
        .find("<LISTED_ON>2030-01-02</LISTED_ON>")
        .expect("cut point")
        + 33;
    let msg = err_msg(parse_un_xml(&UN[..cut]));
    assert_has(
        &msg,
        &[
            &format!("line {}", line_of(UN, "<LISTED_ON>2030-01-02")),
            "file ends inside <INDIVIDUAL> opened at line",
            "truncated",
        ],
    );
    // Cut in the middle of a tag.
    let cut = UN.find("<NATIONALITY><VALUE>Syrian").expect("cut") + 6;
    let msg = err_msg(parse_un_xml(&UN[..cut]));
    assert_has(&msg, &["line ", "malformed XML"]);
    // Through load_path: the file name is in the message, nothing is returned.
    let d = TempDir::new("trunc");
    let p = d.write("un.xml", &UN.as_bytes()[..cut]);
    let msg = err_msg(load_path(&p));
    assert_has(&msg, &["un.xml: ", "line "]);
}

#[test]
fn wrong_root_is_not_a_un_list() {
    let msg = err_msg(parse_un_xml(
        "<?xml version=\"1.0\"?>\n<html><body/></html>",
    ));
    assert_has(&msg, &["line 2", "<html>", "not a UN consolidated list"]);
    assert!(parse_un_xml("").is_err());
}

#[test]
fn latin1_bytes_name_file_line_and_byte() {
    let d = TempDir::new("latin1");
    // "JOSÉ" written in Latin-1 (0xC9) on line 7 of the UN fixture.
    let text = UN.replace("<FIRST_NAME>MUHAMMAD", "<FIRST_NAME>JOS\u{1}");
    let mut bytes = text.into_bytes();
    let at = bytes.iter().position(|&b| b == 1).expect("marker");
    bytes[at] = 0xC9;
    let p = d.write("un-latin1.xml", &bytes);
    let msg = err_msg(load_path(&p));
    assert_has(
        &msg,
        &[
            "un-latin1.xml: ",
            &format!("line {}", line_of(UN, "<FIRST_NAME>MUHAMMAD")),
            &format!("byte {at} (0xc9) is not UTF-8"),
        ],
    );
    // Same for an OFAC file.
    let mut sdn = SDN.as_bytes().to_vec();
    sdn.extend_from_slice(
        b"9004,\"CAF\xc9 SAMPLE\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n",
    );
    d.write("ofac/sdn.csv", &sdn);
    let msg = err_msg(load_path(&d.0.join("ofac/sdn.csv")));
    assert_has(&msg, &["sdn.csv: ", "line 4", "not UTF-8"]);
    // A UTF-8 byte-order mark is fine.
    let p = d.write("bom.xml", format!("\u{feff}{UN}").as_bytes());
    assert_eq!(load_path(&p).expect("bom").len(), 1);
}

#[test]
fn individual_without_a_name() {
    let start = UN.find("<FIRST_NAME>HUSAYN</FIRST_NAME>").expect("name");
    let end = UN
        .find("<UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE>\n      <REFERENCE_NUMBER>QDi.902")
        .expect("end");
    let xml = format!("{}{}", &UN[..start], &UN[end..]);
    let line = 1 + xml[..xml.find("<REFERENCE_NUMBER>QDi.902").expect("ref")]
        .rfind("<INDIVIDUAL>")
        .map(|i| xml[..i].matches('\n').count())
        .expect("individual");
    let msg = err_msg(parse_un_xml(&xml));
    assert_has(
        &msg,
        &[&format!("line {line}: INDIVIDUAL QDi.902 has no name")],
    );
    // Without a reference number either.
    let xml2 = xml.replace("<REFERENCE_NUMBER>QDi.902</REFERENCE_NUMBER>", "");
    let msg = err_msg(parse_un_xml(&xml2));
    assert_has(
        &msg,
        &[&format!("line {line}: INDIVIDUAL has no REFERENCE_NUMBER")],
    );
    // An empty <INDIVIDUAL/> too.
    let xml3 = UN.replace("<INDIVIDUALS>", "<INDIVIDUALS>\n<INDIVIDUAL/>");
    assert_has(
        &err_msg(parse_un_xml(&xml3)),
        &["line 4: INDIVIDUAL has no REFERENCE_NUMBER"],
    );
}

#[test]
fn absurd_un_dates_of_birth_name_the_entry() {
    let line = line_of(UN, "<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT");
    let entry_line = 1 + UN[..UN.find("<INDIVIDUAL>").expect("ind")]
        .matches('\n')
        .count();
    assert!(entry_line < line);
    for (from, to, what) in [
        (
            "<DATE>1970-05-04</DATE>",
            "<DATE>20150-05-04</DATE>",
            "\"20150-05-04\" is not a real date",
        ),
        (
            "<DATE>1970-05-04</DATE>",
            "<DATE>1970-13-04</DATE>",
            "\"1970-13-04\" is not a real date",
        ),
        (
            "<DATE>1970-05-04</DATE>",
            "<DATE>1970-02-30</DATE>",
            "\"1970-02-30\" is not a real date",
        ),
        (
            "<YEAR>1969</YEAR>",
            "<YEAR>20150</YEAR>",
            "year \"20150\" is not a plausible year of birth",
        ),
        (
            "<YEAR>1969</YEAR>",
            "<YEAR>2150</YEAR>",
            "year \"2150\" is not a plausible year of birth",
        ),
    ] {
        let xml = UN.replace(from, to);
        let msg = err_msg(parse_un_xml(&xml));
        assert_has(
            &msg,
            &[&format!(
                "line {entry_line}: INDIVIDUAL QDi.901: date of birth {what}"
            )],
        );
    }
    let xml = UN.replace(
        "<FROM_YEAR>1980</FROM_YEAR><TO_YEAR>1982",
        "<FROM_YEAR>1990</FROM_YEAR><TO_YEAR>1982",
    );
    assert_has(
        &err_msg(parse_un_xml(&xml)),
        &["QDi.902: date of birth range 1990 to 1982"],
    );
    // 29 February of a leap year is a real date.
    let ok = UN.replace("<DATE>1970-05-04</DATE>", "<DATE>1972-02-29</DATE>");
    assert!(parse_un_xml(&ok).is_ok());
}

#[test]
fn ofac_wrong_field_count_names_file_and_line() {
    let short = SDN.replace(
        ",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n",
        ",\"SDGT\",-0- \n",
    );
    let msg = err_msg(parse_ofac_csv(&short, ALT, ADD, None));
    assert_has(&msg, &["sdn.csv: CSV line 2: expected 12 fields, found 5"]);
    let alt = format!("{ALT}9001,99,\"aka\"\n");
    let msg = err_msg(parse_ofac_csv(SDN, &alt, ADD, None));
    assert_has(&msg, &["alt.csv: CSV line", "expected 5 fields, found 3"]);
    let add = format!("{ADD}9001,\n");
    assert_has(
        &err_msg(parse_ofac_csv(SDN, ALT, &add, None)),
        &["add.csv: ", "expected 6 fields"],
    );
    // Truncated inside a quoted field.
    let cut = &SDN[..SDN.find("POB Nowhere").expect("cut")];
    assert_has(
        &err_msg(parse_ofac_csv(cut, ALT, ADD, None)),
        &["sdn.csv: CSV line 1"],
    );
    // A trailing DOS end-of-file mark is not a row.
    assert!(parse_ofac_csv(&format!("{SDN}\u{1a}"), ALT, ADD, None).is_ok());
}

#[test]
fn ofac_empty_file_empty_name_and_absurd_dob() {
    assert_has(
        &err_msg(parse_ofac_csv("", ALT, ADD, None)),
        &["sdn.csv: ", "no entries"],
    );
    assert_has(
        &err_msg(parse_ofac_csv("\n\n", "", "", None)),
        &["sdn.csv: ", "no entries"],
    );
    let noname = SDN.replace(
        "\"EXAMPLE PETROLEUM TRADING FZE\",-0- ,\"SDGT\"",
        "-0- ,-0- ,\"SDGT\"",
    );
    assert_has(
        &err_msg(parse_ofac_csv(&noname, ALT, ADD, None)),
        &["sdn.csv: CSV line 2, column SDN_Name: entry 9002 has no name"],
    );
    for bad in [
        "DOB 12 Mar 20150",
        "DOB 31 Feb 1975",
        "DOB 12 Foo 1975",
        "DOB 12 Mar 2150",
    ] {
        let sdn = SDN.replace("DOB 12 Mar 1975", bad);
        assert_has(
            &err_msg(parse_ofac_csv(&sdn, ALT, ADD, None)),
            &[
                "sdn.csv: CSV line 1, column Remarks: entry 9001 (QUASIMODO, Ahmad Khalil): date of birth",
                "is not a real date",
            ],
        );
    }
    let dup = format!("{SDN}{}", SDN.lines().next().expect("line"));
    assert_has(
        &err_msg(parse_ofac_csv(&dup, ALT, ADD, None)),
        &["entry 9001 appears twice"],
    );
    // Ranges written with a hyphen (the SDN list has "circa 1979-1982").
    let ok = SDN.replace("alt. DOB circa 1974", "alt. DOB circa 1979-1982");
    assert!(parse_ofac_csv(&ok, ALT, ADD, None).is_ok());
}

#[test]
fn nothing_half_loaded_from_a_directory() {
    let d = TempDir::new("half");
    d.write("un.xml", UN.as_bytes());
    d.write("ofac/sdn.csv", b"");
    d.write("ofac/alt.csv", ALT.as_bytes());
    d.write("ofac/add.csv", ADD.as_bytes());
    let msg = err_msg(load_path(&d.0));
    let want = d.0.join("ofac").join("sdn.csv").display().to_string();
    assert_has(&msg, &[&format!("{want}: invalid input: no entries")]);
    // Fixed, everything loads.
    d.write("ofac/sdn.csv", SDN.as_bytes());
    assert_eq!(load_path(&d.0).expect("loads").len(), 2);
    // A bad UN file beside a good OFAC list fails the whole load as well.
    d.write(
        "un.xml",
        UN.replace("<DATE>1970-05-04", "<DATE>1970-00-04")
            .as_bytes(),
    );
    assert_has(
        &err_msg(load_path(&d.0)),
        &["un.xml: XML: line 4: INDIVIDUAL QDi.901"],
    );
}

/// The published lists load cleanly under the strict rules (skipped when the
/// data directory is absent; set COALESCE_SANCTIONS_DIR to point elsewhere).
#[test]
fn real_lists_load_cleanly() {
    let dir = std::env::var("COALESCE_SANCTIONS_DIR")
        .unwrap_or_else(|_| "/work/shared/data/sanctions".into());
    let dir = Path::new(&dir);
    if !dir.is_dir() {
        eprintln!("skipped: {} absent", dir.display());
        return;
    }
    let lists = load_path(dir).expect("real lists load");
    assert!(lists.iter().all(|l| !l.entities.is_empty()));
}
