//! Unit tests of the shared HXL reading and writing.

use super::hashtag::Hashtag;
use super::sheet::check_quotes;
use super::write::{protect, unprotect, write_row};
use super::*;

#[test]
fn hashtags_parse_case_and_order_free() {
    let a = Hashtag::parse("#item+type+code").expect("valid");
    assert_eq!(Some(&a), Hashtag::parse(" #Item +CODE+ type ").as_ref());
    assert_eq!(a.tag, "item");
    assert!(Hashtag::parse("#adm1+code").is_some());
    assert!(Hashtag::parse("#meta+rel_to").is_some());
    for bad in [
        "item+name",
        "#",
        "#item+",
        "#1x",
        "#item++name",
        "#item+na-me",
        "#é",
    ] {
        assert!(Hashtag::parse(bad).is_none(), "{bad}");
    }
}

#[test]
fn formula_prefix_round_trips() {
    for s in [
        "=1+1", "+44", "-x", "@SUM(A1)", "\tx", "'=x", "'", "''", "'plain", "plain", "", "=", "-5",
    ] {
        assert_eq!(unprotect(&protect(s)), s, "{s:?}");
    }
    assert_eq!(protect("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
    assert_eq!(protect("'x"), "''x");
    assert_eq!(unprotect("'plain"), "'plain");
    assert_eq!(unprotect("'-5"), "-5");
}

#[test]
fn cells_are_quoted_when_needed() {
    let mut out = String::new();
    write_row(
        &mut out,
        &["a", "b,c", "say \"hi\"", "two\nlines", " pad", ""],
    );
    assert_eq!(
        out,
        "a,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\",\" pad\",\r\n"
    );
}

#[test]
fn quote_check() {
    assert!(check_quotes(b"a,\"b\"\"c\",d\r\n\"x\ny\",z\n").is_ok());
    let e = check_quotes(b"a,b\nc,\"d\ne,f\n").expect_err("unclosed");
    assert_eq!(e.line, 2);
    let e = check_quotes(b"a,b\n\"c\"d,e\n").expect_err("text after quote");
    assert_eq!(e.line, 2);
    // A quote inside an unquoted cell is taken literally, as spreadsheets do.
    assert!(check_quotes(b"5\" pipe,x\n").is_ok());
}

#[test]
fn degrees_are_exact() {
    assert_eq!(degrees(34_724_000), "34.724000");
    assert_eq!(degrees(-1), "-0.000001");
    assert_eq!(degrees(-180_000_000), "-180.000000");
}
