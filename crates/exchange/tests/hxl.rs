//! HXL CSV: round trips, column matching by hashtag, every bad input.

mod common;

use coalesce_domain::indicators::IndicatorValue;
use coalesce_domain::needs::{
    Contribution, ContributionDraft, Measure, Requirement, RequirementDraft,
};
use coalesce_domain::text;
use coalesce_exchange::hxl::{
    contributions_from_hxl, contributions_to_hxl, indicator_values_from_hxl,
    indicator_values_to_hxl, requirements_from_hxl, requirements_to_hxl, ImportError, ImportErrors,
    MAX_ROWS,
};
use common::*;
use proptest::prelude::*;

fn assert_requirement(d: &RequirementDraft, r: &Requirement) {
    assert_eq!(d.title, r.title);
    assert_eq!(d.description, r.description);
    assert_eq!(d.requesting_member.as_str(), r.requesting_member);
    assert_eq!(d.line_of_effort.as_str(), r.line_of_effort);
    assert_eq!(d.category.as_str(), r.category);
    assert_eq!(d.measure, r.measure);
    assert_eq!(d.place, r.place);
    assert_eq!(d.window, r.window);
    assert_eq!(d.priority.get(), r.priority);
    assert_eq!(d.marking, r.marking);
}

fn assert_contribution(d: &ContributionDraft, c: &Contribution) {
    assert_eq!(d.title, c.title);
    assert_eq!(d.description, c.description);
    let contributors: Vec<String> = d.contributors.iter().map(|m| m.to_string()).collect();
    assert_eq!(contributors, c.contributors);
    assert_eq!(d.requirement_id, c.requirement_id);
    assert_eq!(
        d.line_of_effort.as_ref().map(|s| s.as_str()),
        Some(c.line_of_effort.as_str())
    );
    assert_eq!(
        d.category.as_ref().map(|s| s.as_str()),
        Some(c.category.as_str())
    );
    assert_eq!(d.measure, c.measure);
    assert_eq!(d.place, c.place);
    assert_eq!(d.window, c.window);
    assert_eq!(d.marking, c.marking);
}

fn assert_value(slug: &str, d: &coalesce_domain::indicators::ValueDraft, v: &IndicatorValue) {
    assert_eq!(slug, v.indicator);
    assert_eq!(d.observed_on, v.observed_on);
    assert_eq!(
        d.value.to_bits(),
        v.value.to_bits(),
        "{} vs {}",
        d.value,
        v.value
    );
    assert_eq!(d.note, v.note);
    assert_eq!(d.marking, v.marking);
}

/// The errors of an import that must fail.
fn errors<T: std::fmt::Debug>(r: Result<T, ImportErrors>) -> Vec<ImportError> {
    r.expect_err("the import must fail").0
}

/// Parses a CSV into rows of cells (for tests that rearrange files).
fn cells(csv_text: &str) -> Vec<Vec<String>> {
    let mut rd = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(csv_text.as_bytes());
    rd.records()
        .map(|r| r.expect("csv").iter().map(str::to_string).collect())
        .collect()
}

fn to_csv(rows: &[Vec<String>]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.write_record(r).expect("write");
    }
    String::from_utf8(w.into_inner().expect("flush")).expect("utf-8")
}

// ------------------------------------------------------------ round trips

#[test]
fn requirements_round_trip() {
    let records = requirements();
    let csv_text = requirements_to_hxl(&records);
    let rows = requirements_from_hxl(csv_text.as_bytes()).expect("import");
    assert_eq!(rows.len(), records.len());
    for (row, r) in rows.iter().zip(&records) {
        assert_requirement(&row.value, r);
    }
    // One physical line per row here except the second, whose description
    // spans two lines; the row numbers are physical lines.
    let lines: Vec<u64> = rows.iter().map(|r| r.line).collect();
    assert_eq!(lines, vec![3, 5, 6, 7]);
}

#[test]
fn requirements_file_shape() {
    let csv_text = requirements_to_hxl(&requirements());
    let mut lines = csv_text.split("\r\n");
    assert!(lines
        .next()
        .expect("header")
        .starts_with("Requirement ID,Version,Recorded by,Status,Requesting member,"));
    let tags = lines.next().expect("hashtags");
    for t in [
        "#activity+id",
        "#org+requesting",
        "#sector+code",
        "#item+type+code",
        "#item+name",
        "#description",
        "#value",
        "#currency",
        "#item+unit",
        "#country+code",
        "#adm1+name",
        "#adm1+code",
        "#loc+name",
        "#geo+lat",
        "#geo+lon",
        "#date+start",
        "#date+end",
        "#severity+priority",
        "#meta+tlp",
        "#meta+rel_to",
        "#meta+version",
        "#status",
    ] {
        assert!(tags.split(',').any(|c| c == t), "{t} in {tags}");
    }
    // Money with exactly the currency's decimals; REL TO joined with |.
    assert!(csv_text.contains(",1500000.00,USD,,"));
    assert!(csv_text.contains(",1500.250,KWD,,"));
    assert!(csv_text.contains(",50000000,JPY,,"));
    assert!(csv_text.contains(",12,,brigade-set,"));
    assert!(
        csv_text.contains(",GREEN,FRA|GBR|GROUP:small-group\r\n"),
        "{csv_text}"
    );
    assert!(csv_text.contains("33.315200,44.366100"));
    assert!(
        csv_text.contains("-0.500000,-179.999999"),
        "numbers are not prefixed"
    );
    // Formula injection: text cells are prefixed, numbers are not.
    assert!(csv_text.contains("\"'=IMPORTXML(\"\"http://x\"\") — a formula, kept as text\""));
    assert!(
        csv_text.contains(",'-5 metres from the road, @night only, +1 team,")
            || csv_text.contains(",\"'-5 metres from the road, @night only, +1 team\",")
    );
    assert!(!csv_text.starts_with('\u{feff}'));
}

#[test]
fn contributions_round_trip() {
    let all: Vec<Contribution> = contributions().into_iter().map(|(c, _)| c).collect();
    // The yen contribution was recorded before places were kept: standalone
    // without place or window, it cannot be imported again (below).
    let records: Vec<Contribution> = all
        .iter()
        .filter(|c| c.place.is_some() || c.requirement_id.is_some())
        .cloned()
        .collect();
    assert_eq!(records.len(), all.len() - 1);
    let csv_text = contributions_to_hxl(&records);
    assert!(csv_text.contains("AUS|FRA|GBR|USA"));
    assert!(
        csv_text.contains(",committed,750000.50,"),
        "delivered so far, in USD"
    );
    assert!(csv_text.contains("\"'=HYPERLINK(\"\"http://evil\"\") counter-IED course\""));
    let rows = contributions_from_hxl(csv_text.as_bytes()).expect("import");
    assert_eq!(rows.len(), records.len());
    for (row, c) in rows.iter().zip(&records) {
        assert_contribution(&row.value, c);
    }

    let legacy = contributions_to_hxl(&all);
    let errs = errors(contributions_from_hxl(legacy.as_bytes()));
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].column, "#country+code");
    assert!(
        errs[0].reason.contains("place and time window"),
        "{}",
        errs[0].reason
    );
}

#[test]
fn indicator_values_round_trip() {
    let records = values();
    let csv_text = indicator_values_to_hxl(&records);
    assert!(csv_text.contains(",1000000000000000,"));
    assert!(
        csv_text.contains(",-5.25,'-5.25 is a number,"),
        "{csv_text}"
    );
    assert!(csv_text.contains(",'=1+1,"));
    let rows = indicator_values_from_hxl(csv_text.as_bytes()).expect("import");
    assert_eq!(rows.len(), records.len());
    for (row, v) in rows.iter().zip(&records) {
        let (slug, d) = &row.value;
        assert_value(slug.as_str(), d, v);
    }
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let csv_text = format!(
        "{}{}",
        coalesce_exchange::hxl::UTF8_BOM,
        requirements_to_hxl(&requirements())
    );
    let rows = requirements_from_hxl(csv_text.as_bytes()).expect("import");
    assert_eq!(rows.len(), 4);
    let v = format!("\u{feff}{}", indicator_values_to_hxl(&values()));
    assert_eq!(
        indicator_values_from_hxl(v.as_bytes())
            .expect("import")
            .len(),
        5
    );
}

#[test]
fn lf_line_ends_and_no_header_row_are_accepted() {
    let csv_text = requirements_to_hxl(&requirements()).replace("\r\n", "\n");
    let without_header: String = csv_text.split_once('\n').expect("header").1.to_string();
    let rows = requirements_from_hxl(without_header.as_bytes()).expect("import");
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0].line, 2);
}

// ------------------------------------------------------------ hashtag matching

#[test]
fn columns_match_by_hashtag_in_any_order_with_extra_columns() {
    let records = requirements();
    let rows = cells(&requirements_to_hxl(&records));
    let width = rows[0].len();
    // Reverse the columns, drop the export-only ones, rename every header,
    // write attributes in another order and case, and add unknown columns.
    let keep: Vec<usize> = (0..width)
        .rev()
        .filter(|&i| {
            !matches!(
                rows[1][i].as_str(),
                "#activity+id" | "#meta+version" | "#org+reporting" | "#status"
            )
        })
        .collect();
    let mut out: Vec<Vec<String>> = Vec::new();
    for (n, row) in rows.iter().enumerate() {
        let mut r: Vec<String> = vec![match n {
            0 => "Comment".into(),
            1 => "#x_comment+free".into(),
            _ => "anything, really".into(),
        }];
        for &i in &keep {
            r.push(match n {
                0 => format!("Column {i}"),
                1 => match row[i].as_str() {
                    "#item+type+code" => "#ITEM +Code +type".into(),
                    "#meta+rel_to" => "#meta+REL_TO".into(),
                    "#adm1+code" => " #adm1+code ".into(),
                    other => other.to_uppercase(),
                },
                _ => row[i].clone(),
            });
        }
        r.push(match n {
            0 => "Untagged".into(),
            1 => String::new(),
            _ => "ignored".into(),
        });
        out.push(r);
    }
    let imported = requirements_from_hxl(to_csv(&out).as_bytes()).expect("import");
    assert_eq!(imported.len(), records.len());
    for (row, r) in imported.iter().zip(&records) {
        assert_requirement(&row.value, r);
    }
}

#[test]
fn several_header_rows_may_precede_the_hashtags() {
    let csv_text = format!(
        "Coalition requirements export\r\n\r\n{}",
        requirements_to_hxl(&requirements())
    );
    let rows = requirements_from_hxl(csv_text.as_bytes()).expect("import");
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0].line, 5);
}

#[test]
fn attribute_subsets_and_supersets_do_not_match() {
    // #item is not #item+name, and #item+name+en is not #item+name either:
    // matching is on the exact set of attributes.
    let csv_text = "Title,Amount\r\n#item,#value\r\nx,5\r\n";
    let errs = errors(requirements_from_hxl(csv_text.as_bytes()));
    assert!(errs
        .iter()
        .any(|e| e.column == "#item+name" && e.reason.contains("required column missing")));
}

#[test]
fn a_hashtag_read_twice_is_ambiguous() {
    let rows = cells(&requirements_to_hxl(&requirements()));
    let mut out = rows.clone();
    for (n, r) in out.iter_mut().enumerate() {
        r.push(if n == 1 {
            "#Item+Name".into()
        } else {
            "Another title".into()
        });
    }
    let errs = errors(requirements_from_hxl(to_csv(&out).as_bytes()));
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!((errs[0].line, errs[0].column.as_str()), (2, "#Item+Name"));
    assert!(errs[0].reason.contains("ambiguous"));
    // An unknown hashtag twice is no problem.
    let mut ok = rows;
    for (n, r) in ok.iter_mut().enumerate() {
        r.push(if n == 1 { "#x_note".into() } else { "a".into() });
        r.push(if n == 1 { "#x_note".into() } else { "b".into() });
    }
    assert!(requirements_from_hxl(to_csv(&ok).as_bytes()).is_ok());
}

// ------------------------------------------------------------ bad files

#[test]
fn empty_files() {
    for input in [&b""[..], b"\xEF\xBB\xBF", b"\r\n\r\n  \n"] {
        let errs = errors(requirements_from_hxl(input));
        assert_eq!(errs.len(), 1);
        assert!(errs[0].reason.contains("empty"), "{:?}", errs[0]);
    }
}

#[test]
fn header_only() {
    let csv_text = requirements_to_hxl(&[]);
    let errs = errors(requirements_from_hxl(csv_text.as_bytes()));
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].line, 2);
    assert!(errs[0].reason.contains("no data rows"));
    // A header row without hashtags.
    let errs = errors(requirements_from_hxl(b"Title,Amount,Currency\r\n"));
    assert!(
        errs[0].reason.contains("no HXL hashtag row"),
        "{:?}",
        errs[0]
    );
}

#[test]
fn data_without_a_hashtag_row() {
    let csv_text = "Title,Amount\r\nBody armour,12\r\nRadios,40\r\n";
    let errs = errors(requirements_from_hxl(csv_text.as_bytes()));
    assert_eq!(errs.len(), 1);
    assert!(errs[0].reason.contains("no HXL hashtag row"));
}

#[test]
fn a_bad_hashtag_row_names_its_cells() {
    let csv_text = "Title,Amount,Currency\r\n#item+name,value,#currency++x\r\nx,5,USD\r\n";
    let errs = errors(contributions_from_hxl(csv_text.as_bytes()));
    let bad: Vec<(u64, &str)> = errs
        .iter()
        .filter(|e| e.reason.contains("not an HXL hashtag"))
        .map(|e| (e.line, e.column.as_str()))
        .collect();
    assert_eq!(bad, vec![(2, "Amount"), (2, "Currency")]);
}

#[test]
fn missing_required_columns_are_all_listed() {
    let csv_text = "Title\r\n#item+name\r\nRadios\r\n";
    let errs = errors(requirements_from_hxl(csv_text.as_bytes()));
    let missing: Vec<&str> = errs.iter().map(|e| e.column.as_str()).collect();
    assert_eq!(
        missing,
        vec![
            "#org+requesting",
            "#sector+code",
            "#item+type+code",
            "#value",
            "#country+code",
            "#date+start",
            "#date+end",
            "#severity+priority",
            "#meta+tlp",
        ]
    );
    assert!(errs
        .iter()
        .all(|e| e.line == 2 && e.reason.contains("required column missing")));
    // A contributions file is not a requirements file.
    let contrib = contributions_to_hxl(&[contributions().remove(0).0]);
    let errs = errors(requirements_from_hxl(contrib.as_bytes()));
    let missing: Vec<&str> = errs.iter().map(|e| e.column.as_str()).collect();
    assert_eq!(missing, vec!["#org+requesting", "#severity+priority"]);
}

#[test]
fn unbalanced_quotes() {
    let mut csv_text = requirements_to_hxl(&requirements());
    csv_text.push_str("\"x,IRQ,military-support\r\nmore\r\n");
    let errs = errors(requirements_from_hxl(csv_text.as_bytes()));
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].line, 8);
    assert!(errs[0].reason.contains("never closed"));
    let errs = errors(indicator_values_from_hxl(
        b"a,b\r\n#indicator+code,\"#x\"y\r\n",
    ));
    assert!(errs[0].reason.contains("after the closing quote"));
}

#[test]
fn non_utf8_bytes() {
    let mut bytes = indicator_values_to_hxl(&values()).into_bytes();
    // A Windows-1256 note on a new row: "عودة" is C9 E6 CF C9 there.
    bytes.extend_from_slice(b"v9,IRQ,returns,2016-02-29,5,\xC9\xE6\xCF\xC9,GREEN,\r\n");
    let errs = errors(indicator_values_from_hxl(&bytes));
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].column, "#description");
    assert!(errs[0].reason.contains("UTF-8"));
    assert_eq!(errs[0].line, 9, "{errs:?}");
    // Entirely not text.
    let errs = errors(requirements_from_hxl(&[0xff, 0xfe, 0x00, 0x41, 0x00]));
    assert!(!errs.is_empty());
}

#[test]
fn too_many_rows() {
    let mut csv_text = String::from("Indicator,Observed on,Value,TLP\r\n#indicator+code,#date+reported,#indicator+value+num,#meta+tlp\r\n");
    for _ in 0..=MAX_ROWS {
        csv_text.push_str("airstrikes,2014-09-30,1,GREEN\r\n");
    }
    let errs = errors(indicator_values_from_hxl(csv_text.as_bytes()));
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].line, MAX_ROWS as u64 + 3);
    assert!(errs[0].reason.contains("more than 100000 data rows"));
    // Exactly the cap is fine.
    let at_cap: String = csv_text
        .rsplit_once("airstrikes")
        .expect("cut")
        .0
        .to_string();
    assert_eq!(
        indicator_values_from_hxl(at_cap.as_bytes())
            .expect("import")
            .len(),
        MAX_ROWS
    );
}

#[test]
fn every_bad_row_and_cell_is_reported() {
    let head = "Title,Requesting,LoE,Category,Amount,Currency,Unit,Country,Admin,P-code,Town,Lat,Lon,Start,End,Priority,TLP,REL TO\r\n\
                #item+name,#org+requesting,#sector+code,#item+type+code,#value,#currency,#item+unit,#country+code,#adm1+name,#adm1+code,#loc+name,#geo+lat,#geo+lon,#date+start,#date+end,#severity+priority,#meta+tlp,#meta+rel_to\r\n";
    let good = "Radios,IRQ,military-support,communications,40,,radio,IRQ,,,,,,2015-01-01,2015-02-01,2,GREEN,USA\r\n";
    let bad = [
        // line 4: five problems in one row
        "\"Two\nlines\",iraq,Military,communications,40.5,,radio,IRQ,,,,,,2015-01-01,2015-02-01,9,GREEN,USA\r\n",
        // line 6: money problems
        "Fuel,IRQ,military-support,fuel,1500.25,JPY,,IRQ,,,,,,2015-01-01,2015-02-01,1,GREEN,\r\n",
        // line 7
        "Fuel,IRQ,military-support,fuel,-5,USD,,IRQ,,,,,,2015-01-01,2015-02-01,1,GREEN,\r\n",
        // line 8
        "Fuel,IRQ,military-support,fuel,5,USD,litre,IRQ,,,,,,2015-01-01,2015-02-01,1,GREEN,\r\n",
        // line 9: place and window problems
        "Fuel,IRQ,military-support,fuel,5,KWD,,IRQ,Salah al-Din,,,34.7,,2015-02-01,2015-01-01,1,GREEN,\r\n",
        // line 10: marking problems, unknown country, 4 decimals of KWD
        "Fuel,IRQ,military-support,fuel,1.2345,KWD,,XYZ,,,,,,2015-01-01,2015-01-01,1,PURPLE,USA|nato|GROUP:Bad\r\n",
        // line 11: empty required cells (a row of empty cells would be skipped)
        ",,,,,,,,,,,,,,,,,USA\r\n",
        // line 12: a formula-looking title is fine; an empty unit/currency is not
        "'=1+1,IRQ,military-support,fuel,5,,,IRQ,,,,,,2015-01-01,2015-01-01,1,GREEN,\r\n",
    ];
    let mut csv_text = String::from(head);
    csv_text.push_str(good);
    for b in bad {
        csv_text.push_str(b);
    }
    csv_text.push_str(good);
    let errs = errors(requirements_from_hxl(csv_text.as_bytes()));
    let got: Vec<(u64, &str)> = errs.iter().map(|e| (e.line, e.column.as_str())).collect();
    assert_eq!(
        got,
        vec![
            (4, "#item+name"),
            (4, "#org+requesting"),
            (4, "#sector+code"),
            (4, "#value"),
            (4, "#severity+priority"),
            (6, "#value"),
            (7, "#value"),
            (8, "#currency"),
            (9, "#adm1+code"),
            (9, "#geo+lon"),
            (9, "#date+end"),
            (10, "#value"),
            (10, "#country+code"),
            (10, "#meta+tlp"),
            (10, "#meta+rel_to"),
            (10, "#meta+rel_to"),
            (11, "#item+name"),
            (11, "#org+requesting"),
            (11, "#sector+code"),
            (11, "#item+type+code"),
            (11, "#value"),
            (11, "#country+code"),
            (11, "#date+start"),
            (11, "#date+end"),
            (11, "#severity+priority"),
            (11, "#meta+tlp"),
            (12, "#value"),
        ],
        "{errs:#?}"
    );
    let reason = |line: u64, col: &str| {
        errs.iter()
            .find(|e| e.line == line && e.column == col)
            .map(|e| e.reason.clone())
            .unwrap_or_default()
    };
    assert!(reason(4, "#item+name").contains("control characters"));
    assert!(reason(4, "#value").contains("whole number"));
    assert!(reason(6, "#value").contains("more decimals than JPY has (0)"));
    assert!(reason(7, "#value").contains("not positive"));
    assert!(reason(9, "#date+end").contains("after it ends"));
    assert!(reason(10, "#value").contains("more decimals than KWD has (3)"));
    // The message names the row and the column.
    let text = ImportErrors(errs.clone()).to_string();
    assert!(text.contains("line 6, #value: "), "{text}");
}

#[test]
fn the_file_as_written_names_the_columns() {
    let csv_text = "T,V,U,TLP,C\r\n#ITEM+name,#Value,#item+unit,#meta+tlp,#org+Funder\r\nx,abc,kit,GREEN,usa\r\n";
    let errs = errors(contributions_from_hxl(csv_text.as_bytes()));
    let got: Vec<(u64, &str)> = errs.iter().map(|e| (e.line, e.column.as_str())).collect();
    assert_eq!(got, vec![(3, "#org+Funder"), (3, "#Value")], "{errs:?}");
    assert!(errs[1].reason.contains("whole number"));
    // A file-level problem stops before the rows are read.
    let errs = errors(contributions_from_hxl(
        b"T,V\r\n#item+name,#value\r\nx,abc\r\n",
    ));
    let missing: Vec<&str> = errs.iter().map(|e| e.column.as_str()).collect();
    assert_eq!(missing, vec!["#org+funder", "#meta+tlp"]);
    assert!(errs
        .iter()
        .all(|e| e.line == 2 && e.reason.contains("required column missing")));
}

#[test]
fn contributions_standalone_or_against_a_requirement() {
    let head = "Req,Contributors,LoE,Category,Title,Amount,Currency,Unit,Country,Start,End,TLP,REL TO\r\n\
                #activity+id+requirement,#org+funder,#sector+code,#item+type+code,#item+name,#value,#currency,#item+unit,#country+code,#date+start,#date+end,#meta+tlp,#meta+rel_to\r\n";
    let ok = format!(
        "{head}r-1,USA | GBR,,,Radios,40,,radio,,,,GREEN,COALITION\r\n\
         ,FRA,humanitarian,water,Water trucks,250000.00,EUR,,IRQ,2015-04-01,2015-06-30,AMBER,\"IRQ, USA\"\r\n"
    );
    let rows = contributions_from_hxl(ok.as_bytes()).expect("import");
    assert_eq!(rows[0].value.requirement_id.as_deref(), Some("r-1"));
    assert_eq!(rows[0].value.contributors.len(), 2);
    assert_eq!(rows[0].value.place, None);
    assert_eq!(rows[1].value.measure, money(25_000_000, "EUR"));
    assert_eq!(rows[1].value.marking, marking("AMBER", &["IRQ", "USA"]));
    let bad = format!(
        "{head},USA,humanitarian,,Radios,40,,radio,IRQ,2015-04-01,2015-06-30,GREEN,\r\n\
         ,USA|usa,humanitarian,water,Radios,40,,radio,IRQ,2015-04-01,,GREEN,\r\n\
         ,,humanitarian,water,Radios,40,,radio,,,,GREEN,\r\n"
    );
    let errs = errors(contributions_from_hxl(bad.as_bytes()));
    let got: Vec<(u64, &str)> = errs.iter().map(|e| (e.line, e.column.as_str())).collect();
    assert_eq!(
        got,
        vec![
            (3, "#item+type+code"),
            (4, "#org+funder"),
            (4, "#date+end"),
            (5, "#org+funder")
        ],
        "{errs:#?}"
    );
}

#[test]
fn indicator_values_bad_cells() {
    let csv_text = "I,D,V,N,TLP\r\n#indicator+code,#date+reported,#indicator+value+num,#description,#meta+tlp\r\n\
                    Airstrikes,2014-09-31,1e16,ok,GREEN\r\n\
                    airstrikes,2014-09-30,NaN,,GREEN\r\n\
                    airstrikes,2014-09-30,\"1,5\",,AMBER\r\n\
                    airstrikes,2014-09-30,inf,,AMBER\r\n";
    let errs = errors(indicator_values_from_hxl(csv_text.as_bytes()));
    let got: Vec<(u64, &str)> = errs.iter().map(|e| (e.line, e.column.as_str())).collect();
    assert_eq!(
        got,
        vec![
            (3, "#indicator+code"),
            (3, "#date+reported"),
            (3, "#indicator+value+num"),
            (4, "#indicator+value+num"),
            (5, "#indicator+value+num"),
            (6, "#indicator+value+num"),
        ],
        "{errs:#?}"
    );
}

// ------------------------------------------------------------ property test

fn line_text() -> impl Strategy<Value = String> {
    // Quotes, commas, formula characters, Arabic; no control characters.
    prop::string::string_regex("[-=+@'\",;#| a-zA-Z0-9\u{600}-\u{6ff}\u{2014}]{1,30}")
        .expect("regex")
        .prop_filter_map("a valid line", |s| {
            text::required_line("t", &s, 200).ok().filter(|t| *t == s)
        })
}

fn body_text() -> impl Strategy<Value = String> {
    prop::string::string_regex("[-=+@'\",;\n\t a-zA-Z0-9\u{600}-\u{6ff}]{0,40}")
        .expect("regex")
        .prop_filter_map("a valid body", |s| {
            text::body("d", &s, 20_000).ok().filter(|t| *t == s)
        })
}

fn measure() -> impl Strategy<Value = Measure> {
    prop_oneof![
        (
            1i64..=1_000_000_000_000_000,
            prop::sample::select(vec!["USD", "JPY", "KWD", "IQD", "CLF", "EUR"])
        )
            .prop_map(|(a, c)| money(a, c)),
        (
            1i64..=1_000_000_000_000_000,
            prop::sample::select(vec!["kit", "brigade-set", "person-day"])
        )
            .prop_map(|(a, u)| quantity(a, u)),
    ]
}

fn a_place() -> impl Strategy<Value = coalesce_domain::needs::Place> {
    (
        prop::sample::select(vec!["IRQ", "SYR", "JOR", "KWT"]),
        prop::option::of((line_text(), "[A-Z]{2}[A-Z0-9]{1,6}")),
        prop::option::of(line_text()),
        prop::option::of((-90_000_000i64..=90_000_000, -180_000_000i64..=180_000_000)),
    )
        .prop_map(|(c, admin, town, pt)| {
            coalesce_domain::needs::Place::parse(
                c,
                admin
                    .map(|(n, p)| coalesce_domain::needs::AdminArea::parse(&n, &p).expect("admin")),
                town.as_deref(),
                pt.map(|(la, lo)| {
                    coalesce_domain::needs::Coordinates::from_micro(la, lo).expect("pt")
                }),
            )
            .expect("place")
        })
}

fn a_marking() -> impl Strategy<Value = coalesce_domain::Marking> {
    (
        prop::sample::select(vec!["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"]),
        prop::collection::vec(
            prop::sample::select(vec![
                "USA",
                "GBR",
                "IRQ",
                "NATO",
                "COALITION",
                "GROUP:small-group",
            ]),
            0..4,
        ),
    )
        .prop_map(|(t, rel)| marking(t, &rel))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn requirements_survive_export_and_import(
        items in prop::collection::vec(
            (line_text(), body_text(), measure(), a_place(), 1i64..=5, a_marking(), 0u32..400),
            1..6,
        )
    ) {
        let records: Vec<Requirement> = items
            .into_iter()
            .map(|(title, description, m, p, priority, mk, day)| {
                let start = time::Date::from_calendar_date(2014, time::Month::January, 1).expect("date")
                    + time::Duration::days(i64::from(day));
                let end = start + time::Duration::days(30);
                let mut r = requirement(
                    "id",
                    &title,
                    &description,
                    "IRQ",
                    "protective-equipment",
                    m,
                    p,
                    window(&start.to_string(), &end.to_string()),
                    mk,
                );
                r.priority = priority;
                r
            })
            .collect();
        let csv_text = requirements_to_hxl(&records);
        let rows = requirements_from_hxl(csv_text.as_bytes());
        prop_assert!(rows.is_ok(), "{:?}\n{}", rows, csv_text);
        let rows = rows.expect("checked");
        prop_assert_eq!(rows.len(), records.len());
        for (row, r) in rows.iter().zip(&records) {
            assert_requirement(&row.value, r);
        }
    }

    #[test]
    fn indicator_values_survive_export_and_import(
        items in prop::collection::vec((-1e15f64..=1e15, body_text(), a_marking()), 1..6)
    ) {
        let records: Vec<IndicatorValue> = items
            .into_iter()
            .enumerate()
            .map(|(i, (v, note, mk))| value(&format!("v{i}"), "airstrikes", "USA", "2015-01-31", v, &note, mk))
            .collect();
        let rows = indicator_values_from_hxl(indicator_values_to_hxl(&records).as_bytes()).expect("import");
        for (row, v) in rows.iter().zip(&records) {
            assert_value(row.value.0.as_str(), &row.value.1, v);
        }
    }

    /// Whatever the bytes, import answers (rows or errors) without panicking.
    #[test]
    fn import_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..400), text in "[#+,\"\na-z0-9]{0,200}") {
        let _ = requirements_from_hxl(&bytes);
        let _ = contributions_from_hxl(&bytes);
        let _ = indicator_values_from_hxl(&bytes);
        let _ = requirements_from_hxl(text.as_bytes());
        let _ = contributions_from_hxl(text.as_bytes());
    }
}
