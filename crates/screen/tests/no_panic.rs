//! Random input never panics the normaliser, the scorer or the parsers.

use coalesce_screen::normalize::tokenize;
use coalesce_screen::{compare_csv, compare_names, parse_ofac_csv, parse_un_xml};
use proptest::prelude::*;

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,40}",
        "[a-zA-Z' .,-]{0,30}",
        "[\u{0600}-\u{06FF} ]{0,20}",
        "[\u{0600}-\u{06FF}a-z ()؛;,-]{0,30}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn normalise_and_score(a in any_text(), b in any_text()) {
        let _ = tokenize(&a);
        let s = compare_names(&a, &b, None);
        prop_assert!((0.0..=1.0).contains(&s.score));
        let _ = s.describe();
    }

    #[test]
    fn parsers(x in ".{0,200}") {
        let _ = parse_un_xml(&x);
        let _ = parse_un_xml(&format!("<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>{x}</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>"));
        let _ = parse_ofac_csv(&x, &x, &x, None);
        let _ = compare_csv(format!("name1,name2\n{x}\n").as_bytes(), Vec::new());
    }
}
