//! The binary as a user runs it: demo, users, audit verify (intact and
//! tampered), allocate, bad databases. SQLite by default, PostgreSQL when
//! COALESCE_TEST_POSTGRES is set.

use std::process::{Command, Output};

fn coalesce(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_coalesce"))
        .args(args)
        .env_remove("COALESCE_DATABASE")
        .output()
        .expect("runs")
}

fn coalesce_with_password(args: &[&str], password: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_coalesce"))
        .args(args)
        .env("COALESCE_PASSWORD", password)
        .output()
        .expect("runs")
}

fn text(o: &[u8]) -> String {
    String::from_utf8_lossy(o).to_string()
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

async fn exec(url: &str, sql: &str) {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let mut c = sqlx::AnyConnection::connect(url).await.expect("connect");
    sqlx::query(sql).execute(&mut c).await.expect(sql);
    c.close().await.expect("close");
}

fn fresh_url() -> String {
    rt().block_on(coalesce_store::testing::fresh_database_url())
        .expect("url")
}

/// sqlx wants `sqlite://PATH`; the store adds `mode=rwc` itself.
fn raw_url(url: &str) -> String {
    url.to_string()
}

#[test]
fn demo_loads_the_scenario_and_audit_verify_detects_tampering() {
    let url = fresh_url();
    let out = coalesce(&["demo", "--no-serve", "--database", &url]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let password = stdout
        .lines()
        .find_map(|l| l.strip_prefix("demo password: "))
        .expect("password line")
        .to_string();
    assert!(password.len() >= 16);
    assert!(stdout.contains("62 members"));

    // A demo login works with the printed password (through the CLI's user list).
    let users = coalesce(&["user", "list", "--database", &url]);
    let list = text(&users.stdout);
    for u in ["usa", "gbr", "irq", "arab-league", "admin"] {
        assert!(
            list.lines().any(|l| l.starts_with(&format!("{u} "))),
            "{u} missing in\n{list}"
        );
    }
    // A second demo on the same database refuses: it is not empty.
    let again = coalesce(&["demo", "--no-serve", "--database", &url]);
    assert!(!again.status.success());

    // The demo names no person: nothing is due for the personal-data purge.
    let purge = coalesce(&["purge", "--database", &url]);
    assert!(purge.status.success(), "{}", text(&purge.stderr));
    assert!(
        text(&purge.stdout).contains("no personal data was purged"),
        "{}",
        text(&purge.stdout)
    );

    let ok = coalesce(&["audit", "verify", "--database", &url]);
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    assert!(text(&ok.stdout).contains("intact"));

    let rt = rt();
    rt.block_on(exec(
        &raw_url(&url),
        "UPDATE audit_log SET subject = 'forged' WHERE seq = 7",
    ));
    let bad = coalesce(&["audit", "verify", "--database", &url]);
    assert_eq!(bad.status.code(), Some(1));
    let err = text(&bad.stderr);
    assert!(err.contains("entry 7"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
}

#[test]
fn audit_verify_detects_removed_entries() {
    for (sql, entry) in [
        ("DELETE FROM audit_log WHERE seq = 3", "entry 3"),
        (
            "DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)",
            "removed from the end",
        ),
    ] {
        let url = fresh_url();
        assert!(coalesce(&["demo", "--no-serve", "--database", &url])
            .status
            .success());
        rt().block_on(exec(&raw_url(&url), sql));
        let bad = coalesce(&["audit", "verify", "--database", &url]);
        assert_eq!(bad.status.code(), Some(1));
        assert!(text(&bad.stderr).contains(entry), "{}", text(&bad.stderr));
    }
}

#[test]
fn users_are_added_listed_and_disabled_with_clear_errors() {
    let url = fresh_url();
    assert!(coalesce(&["demo", "--no-serve", "--database", &url])
        .status
        .success());
    let add = coalesce_with_password(
        &[
            "user",
            "add",
            "--database",
            &url,
            "--username",
            "jane.doe",
            "--member",
            "GBR",
            "--role",
            "contributor",
        ],
        "a long enough password",
    );
    assert!(add.status.success(), "{}", text(&add.stderr));
    let dup = coalesce_with_password(
        &[
            "user",
            "add",
            "--database",
            &url,
            "--username",
            "jane.doe",
            "--member",
            "GBR",
        ],
        "a long enough password",
    );
    assert!(!dup.status.success());
    assert!(text(&dup.stderr).contains("already exists"));
    let weak = coalesce_with_password(
        &[
            "user",
            "add",
            "--database",
            &url,
            "--username",
            "joe",
            "--member",
            "GBR",
        ],
        "short",
    );
    assert!(!weak.status.success());
    let unknown = coalesce_with_password(
        &[
            "user",
            "add",
            "--database",
            &url,
            "--username",
            "joe",
            "--member",
            "ZZZ",
        ],
        "a long enough password",
    );
    assert!(
        text(&unknown.stderr).contains("unknown member"),
        "{}",
        text(&unknown.stderr)
    );
    let dis = coalesce(&["user", "disable", "--database", &url, "jane.doe"]);
    assert!(dis.status.success());
    let list = text(&coalesce(&["user", "list", "--database", &url]).stdout);
    assert!(list
        .lines()
        .any(|l| l.starts_with("jane.doe ") && l.ends_with("disabled")));
    let missing = coalesce(&["user", "disable", "--database", &url, "nobody"]);
    assert!(!missing.status.success());
    assert!(text(&missing.stderr).contains("no user nobody"));
}

#[test]
fn unusable_databases_fail_with_one_line() {
    for url in [
        "sqlite:///nonexistent-dir/sub/coalesce.db",
        "postgres://nobody@127.0.0.1:1/coalesce",
        "mysql://x",
        "sqlite://",
    ] {
        let out = coalesce(&["audit", "verify", "--database", url]);
        assert!(!out.status.success(), "{url}");
        let err = text(&out.stderr);
        assert_eq!(err.trim().lines().count(), 1, "{url}: {err}");
        assert!(err.starts_with("error: "), "{url}: {err}");
        assert!(!err.contains("panicked"));
    }
}

#[test]
fn help_and_allocate_dimacs() {
    let help = coalesce(&["--help"]);
    assert!(help.status.success());
    for cmd in ["serve", "demo", "user", "audit", "allocate", "screen"] {
        assert!(text(&help.stdout).contains(cmd));
    }
    let dir = std::env::temp_dir().join(format!("coalesce-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let f = dir.join("tiny.min");
    // Two units from node 1 to node 3, directly (cost 5) or via 2 (cost 1+1, capacity 1).
    std::fs::write(
        &f,
        "c tiny\np min 3 3\nn 1 2\nn 3 -2\na 1 2 0 1 1\na 2 3 0 1 1\na 1 3 0 2 5\n",
    )
    .expect("write");
    let out = coalesce(&["allocate", "--dimacs", f.to_str().expect("path")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).lines().any(|l| l.trim() == "s 7"),
        "{}",
        text(&out.stdout)
    );
    std::fs::write(&f, "p min 2 1\nn 1 5\nn 2 -5\na 1 2 0 1 1\n").expect("write");
    let inf = coalesce(&["allocate", "--dimacs", f.to_str().expect("path")]);
    assert!(!inf.status.success());
    assert!(
        text(&inf.stderr).to_lowercase().contains("infeasible"),
        "{}",
        text(&inf.stderr)
    );
    std::fs::write(&f, "p min 2 1\na 1 9 0 1 1\n").expect("write");
    let bad = coalesce(&["allocate", "--dimacs", f.to_str().expect("path")]);
    assert!(!bad.status.success());
    assert!(
        text(&bad.stderr).contains("line 2"),
        "{}",
        text(&bad.stderr)
    );
}

fn fixture(rel: &str) -> String {
    format!(
        "{}/../screen/tests/fixtures/{rel}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn screen_batch_and_compare() {
    let dir = std::env::temp_dir().join(format!("coalesce-screen-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let parties = dir.join("parties.csv");
    std::fs::write(
        &parties,
        "id,name,schema\np1,Mohamed Youssef,Person\np2,Jane Smith,Person\np3,Example Petroleum Trading,Organization\n",
    )
    .expect("write");
    let hits = dir.join("hits.csv");
    let un = fixture("un-sample.xml");
    let ofac = fixture("ofac");
    let out = coalesce(&[
        "screen",
        "--list",
        &un,
        "--list",
        &ofac,
        "--input",
        parties.to_str().expect("p"),
        "--output",
        hits.to_str().expect("h"),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let csv = std::fs::read_to_string(&hits).expect("hits");
    assert!(
        csv.lines()
            .next()
            .is_some_and(|h| h.starts_with("id,name,list,reference")),
        "{csv}"
    );
    assert!(
        csv.lines()
            .any(|l| l.starts_with("p1,") && l.contains("QDi.901")),
        "{csv}"
    );
    assert!(csv.lines().any(|l| l.starts_with("p3,")), "{csv}");
    assert!(!csv.lines().any(|l| l.starts_with("p2,")), "{csv}");

    let pairs = dir.join("pairs.csv");
    std::fs::write(
        &pairs,
        "name1,name2\nMuhammad Yusuf,Mohamed Youssef\nMuhammad Yusuf,Jane Smith\n",
    )
    .expect("write");
    let cmp = coalesce(&["screen", "compare", "--input", pairs.to_str().expect("p")]);
    assert!(cmp.status.success(), "{}", text(&cmp.stderr));
    let rows: Vec<String> = text(&cmp.stdout).lines().map(String::from).collect();
    assert_eq!(rows[0], "name1,name2,score,match");
    assert!(rows[1].ends_with(",true"), "{rows:?}");
    assert!(rows[2].ends_with(",false"), "{rows:?}");
    // `-` reads the pairs from standard input, with a schema column.
    let mut child = Command::new(env!("CARGO_BIN_EXE_coalesce"))
        .args(["screen", "compare", "--input", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    std::io::Write::write_all(
        &mut child.stdin.take().expect("stdin"),
        "name1,name2,schema\nIyad Ag Ghaly,Iyad Ag Ghali,Person\nHasan Ali Hussein,Husayn Ali Hussein,Person\n".as_bytes(),
    )
    .expect("write");
    let piped = child.wait_with_output().expect("runs");
    assert!(piped.status.success(), "{}", text(&piped.stderr));
    let rows: Vec<String> = text(&piped.stdout).lines().map(String::from).collect();
    assert_eq!(rows[0], "name1,name2,schema,score,match");
    assert!(rows[1].ends_with(",true"), "{rows:?}");
    assert!(
        rows[2].ends_with(",false"),
        "different given names: {rows:?}"
    );

    // Bad input: one line, non-zero, nothing written to the output.
    std::fs::write(&pairs, "first,second\na,b\n").expect("write");
    let bad = coalesce(&["screen", "compare", "--input", pairs.to_str().expect("p")]);
    assert!(!bad.status.success());
    assert!(text(&bad.stderr).contains("name1"), "{}", text(&bad.stderr));
    // A bad party file: error naming the input, and no half-written output.
    let bad_parties = dir.join("bad.csv");
    std::fs::write(
        &bad_parties,
        "id,name,birth_date\nq1,Jane Smith,not-a-date\n",
    )
    .expect("write");
    let bad_out = dir.join("bad-hits.csv");
    let out = coalesce(&[
        "screen",
        "--list",
        &un,
        "--input",
        bad_parties.to_str().expect("p"),
        "--output",
        bad_out.to_str().expect("o"),
    ]);
    assert!(!out.status.success(), "{}", text(&out.stdout));
    assert!(
        text(&out.stderr).contains("bad.csv"),
        "{}",
        text(&out.stderr)
    );
    assert!(!bad_out.exists() && !dir.join("bad-hits.csv.partial").exists());
    let missing = coalesce(&[
        "screen",
        "--list",
        "/nonexistent/list.xml",
        "--input",
        parties.to_str().expect("p"),
    ]);
    assert!(!missing.status.success());
    assert_eq!(
        text(&missing.stderr).trim().lines().count(),
        1,
        "{}",
        text(&missing.stderr)
    );
}

#[test]
fn serve_refuses_a_demo_database_without_the_flag() {
    let url = fresh_url();
    assert!(coalesce(&["demo", "--no-serve", "--database", &url])
        .status
        .success());
    let out = coalesce(&["serve", "--database", &url, "--listen", "127.0.0.1:0"]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains("coalesce demo") && err.contains("--allow-demo-database"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1);
}

/// The fund from the command line, on the demo's FFIS: operations one at a
/// time, a refused one (exit 1 naming the rule, nothing written), rates
/// from HXL CSV (a bad line refuses the file), the report, an operations
/// CSV applied, and verify — which finds a balance changed behind the
/// ledger's back.
#[test]
fn the_fund_from_the_command_line() {
    let url = fresh_url();
    let out = coalesce(&["demo", "--no-serve", "--database", &url]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = coalesce(&["fund", "list", "--database", &url]);
    let list = text(&out.stdout);
    let fund = list
        .lines()
        .find(|l| l.contains("Funding Facility for Immediate Stabilization"))
        .and_then(|l| l.split('\t').next())
        .expect("the demo's fund")
        .to_string();
    let run = |args: &[&str]| {
        let mut all = vec!["fund"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--database", &url]);
        coalesce(&all)
    };
    let f = fund.as_str();
    let ok = |o: &Output| assert!(o.status.success(), "{}{}", text(&o.stdout), text(&o.stderr));
    ok(&run(&[
        "pledge",
        "--fund",
        f,
        "--id",
        "cli-1",
        "--donor",
        "CAN",
        "--amount",
        "500000.00",
        "--currency",
        "USD",
        "--date",
        "2016-02-01",
    ]));
    ok(&run(&[
        "commit",
        "--fund",
        f,
        "--id",
        "cli-1-c",
        "--pledge",
        "cli-1",
        "--date",
        "2016-02-02",
    ]));
    let out = run(&[
        "deposit",
        "--fund",
        f,
        "--id",
        "cli-1-d",
        "--pledge",
        "cli-1",
        "--amount",
        "500000.00",
        "--currency",
        "USD",
        "--date",
        "2016-02-03",
    ]);
    ok(&out);
    assert!(
        text(&out.stdout).contains("cli-1-d:fee\tagent_fee\t5000.00 USD"),
        "{}",
        text(&out.stdout)
    );
    // A second commitment of the same pledge: exit 1 naming the rule.
    let out = run(&[
        "commit",
        "--fund",
        f,
        "--pledge",
        "cli-1",
        "--date",
        "2016-02-04",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("refused (already_resolved)"),
        "{}",
        text(&out.stderr)
    );
    ok(&run(&[
        "interest",
        "--fund",
        f,
        "--id",
        "cli-i",
        "--amount",
        "10.00",
        "--currency",
        "USD",
        "--date",
        "2016-03-31",
    ]));
    ok(&run(&[
        "reverse",
        "--fund",
        f,
        "--id",
        "cli-i-rev",
        "--transfer",
        "cli-i",
        "--date",
        "2016-04-01",
    ]));

    // Rates from HXL CSV: a bad line refuses the whole file.
    let dir = std::env::temp_dir().join(format!("coalesce-fund-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let rates = dir.join("rates.csv");
    std::fs::write(&rates, "#currency+from,#currency+to,#date+effective,#value+rate,#meta+source\nJPY,USD,2016-01-01,0.0083,un\nJPY,USD,2016-13-01,0.0084,un\n").expect("write");
    let out = run(&["rates", "import", rates.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("line 3"),
        "{}",
        text(&out.stderr)
    );
    std::fs::write(&rates, "#currency+from,#currency+to,#date+effective,#value+rate,#meta+source\nJPY,USD,2016-01-01,0.0083,un\n").expect("write");
    let out = run(&["rates", "import", rates.to_str().expect("path")]);
    ok(&out);
    assert!(
        text(&out.stdout).contains("1 rates added"),
        "{}",
        text(&out.stdout)
    );

    // Operations from CSV, then the report and verify.
    let ops = dir.join("ops.csv");
    std::fs::write(&ops, "#meta+id,#meta+operation,#date+value,#value,#currency,#org+funder\ncli-jp,pledge,2016-02-01,1000000,JPY,JPN\n").expect("write");
    ok(&run(&["apply", "--fund", f, ops.to_str().expect("path")]));
    let out = run(&["report", "--fund", f]);
    ok(&out);
    assert!(
        text(&out.stdout).contains("As recorded in JPY"),
        "{}",
        text(&out.stdout)
    );
    let out = run(&["report", "--fund", f, "--csv"]);
    assert!(
        text(&out.stdout).contains(&format!("{f},as recorded,JPY,pledged,1000000,no")),
        "{}",
        text(&out.stdout)
    );
    let out = run(&["verify"]);
    ok(&out);
    assert!(
        text(&out.stdout).contains("fund ledgers agree"),
        "{}",
        text(&out.stdout)
    );
    rt().block_on(exec(
        &raw_url(&url),
        "UPDATE ledger_accounts SET credits_posted = credits_posted + 1 WHERE id LIKE '%/interest/USD'",
    ));
    let out = run(&["verify"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("/interest/USD"),
        "{}",
        text(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// `coalesce meetings` and `coalesce commitments` on the demo: the six
/// meetings with their attendance, the board as of the demo's date (the
/// overdue items first, what a non-member of the small group may not read
/// left out), the Wales statement in Arabic as Akoma Ntoso, the calendar,
/// reminders sent once, and bad input refused with exit 1.
#[test]
fn meetings_and_commitments_from_the_command_line() {
    let url = fresh_url();
    let out = coalesce(&["demo", "--no-serve", "--database", &url]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let run = |args: &[&str]| {
        let mut all: Vec<&str> = args.to_vec();
        all.extend_from_slice(&["--database", &url]);
        coalesce(&all)
    };
    let ok = |o: &Output| {
        assert!(o.status.success(), "{}{}", text(&o.stdout), text(&o.stderr));
        text(&o.stdout)
    };
    let list = ok(&run(&["meetings", "list", "--as", "usa"]));
    assert_eq!(list.lines().count(), 6, "{list}");
    assert!(list.contains("Core coalition meeting at the NATO summit, Wales"));
    assert!(list.contains("2014-09-05 08:00 BST"));
    assert!(list.contains(" 10 attending"));
    assert!(list.contains(" 21 attending"));
    assert!(list.contains(" 60 attending"));
    // The meetings are public (the documents report them): Albania, not
    // in the small group, lists them all.
    let alb = ok(&run(&["meetings", "list", "--as", "alb"]));
    assert_eq!(alb.lines().count(), 6, "{alb}");
    let board = ok(&run(&["commitments", "board", "--as", "usa"]));
    assert!(
        board.starts_with("as of 2016-12-16T12:00:00Z (9 commitments, 5 overdue)"),
        "{board}"
    );
    assert!(board
        .lines()
        .nth(1)
        .is_some_and(|l| l.starts_with("OVERDUE")));
    let board = ok(&run(&["commitments", "board", "--as", "alb"]));
    assert!(
        board.starts_with("as of 2016-12-16T12:00:00Z (9 commitments, 5 overdue)"),
        "{board}"
    );
    // The police course (the small group's, illustrative) is a part
    // Albania may not read: the commitment shows, its progress partial.
    assert!(
        board
            .lines()
            .any(|l| l.contains("Train Iraqi police") && l.contains("—*")),
        "{board}"
    );
    let json = ok(&run(&[
        "commitments",
        "board",
        "--as",
        "usa",
        "--overdue",
        "--json",
    ]));
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert!(v
        .as_array()
        .is_some_and(|a| a.len() == 5 && a.iter().all(|c| c["overdue"] == true)));
    // The Wales meeting's page on the command line.
    let wales = list
        .lines()
        .find(|l| l.contains("Wales"))
        .and_then(|l| l.split_whitespace().last())
        .expect("wales id")
        .to_string();
    let show = ok(&run(&["meetings", "show", "--as", "gbr", &wales]));
    assert!(show.contains("chaired by USA"), "{show}");
    assert!(show.contains("action: DEU"));
    // Its statement in Arabic, to a file.
    let stmt = rt()
        .block_on(async {
            let store = coalesce_store::Store::open(&url).await.expect("store");
            let p = store
                .principal_for_username("usa")
                .await
                .expect("lookup")
                .expect("usa");
            store
                .list_records::<coalesce_domain::meetings::StatementKind>(
                    &p,
                    &coalesce_store::records::RecordFilter::default(),
                    None,
                    10,
                )
                .await
                .expect("statements")
                .items
        })
        .pop()
        .expect("the Wales statement");
    let dir = std::env::temp_dir().join(format!("coalesce-akn-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("wales-ar.xml");
    let file_s = file.display().to_string();
    ok(&run(&[
        "meetings",
        "statement",
        "--as",
        "fra",
        &stmt.id,
        "--language",
        "ar",
        "--output",
        &file_s,
    ]));
    let xml = std::fs::read_to_string(&file).expect("written");
    assert!(xml.contains("<FRBRlanguage language=\"ara\""), "{xml}");
    assert!(xml.contains("ستُشكَّل فرقة عمل متعددة الجنسيات"));
    // Bad input: a directory as output, a language it has not, an
    // unknown user: exit 1, nothing written.
    let dir_s = dir.display().to_string();
    for args in [
        vec![
            "meetings",
            "statement",
            "--as",
            "fra",
            &stmt.id,
            "--output",
            &dir_s,
        ],
        vec![
            "meetings",
            "statement",
            "--as",
            "fra",
            &stmt.id,
            "--language",
            "de",
        ],
        vec!["commitments", "board", "--as", "nobody"],
        vec!["commitments", "board", "--as", "usa", "--as-of", "soon"],
    ] {
        let out = run(&args);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{args:?}: {}",
            text(&out.stdout)
        );
        assert!(!text(&out.stderr).is_empty());
    }
    // The calendar parses as iCalendar with every meeting and due date.
    let ics = ok(&run(&["meetings", "calendar", "--as", "usa"]));
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 6 + 9);
    // Reminders: the demo sent those due at its date; a later run sends
    // the ministerial's D-7 once.
    let sent = ok(&run(&[
        "meetings",
        "remind",
        "--at",
        "2017-06-24T12:00:00Z",
    ]));
    assert_ne!(sent.trim(), "0 notices sent", "{sent}");
    let again = ok(&run(&[
        "meetings",
        "remind",
        "--at",
        "2017-06-24T12:00:00Z",
    ]));
    assert_eq!(again.trim(), "0 notices sent");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Runs a PDF tool of poppler-utils or qpdf (installed by scripts/test).
fn pdf_tool(tool: &str, args: &[&str]) -> Output {
    Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("{tool} is needed by this test (Debian's poppler-utils and qpdf; scripts/test installs them): {e}")
    })
}

/// Whether a binary PGM image (pdftoppm -gray) has any dark pixel.
fn pgm_has_ink(bytes: &[u8]) -> bool {
    // Header: "P5", width, height, maxval, each followed by whitespace.
    let mut fields = 0;
    let mut i = 0;
    while fields < 4 && i < bytes.len() {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        fields += 1;
    }
    bytes
        .get(i + 1..)
        .is_some_and(|px| px.iter().any(|&p| p < 128))
}

/// `coalesce report plenary` on the demo (issue 18): the PDFs of two
/// members of different audiences hold their own figures and none of the
/// other's restricted content (read back with pdftotext), Arabic in
/// logical order; the pages render non-blank (pdftoppm); qpdf finds the
/// file sound; a kept report is written again byte for byte; bad input
/// writes nothing.
#[test]
fn the_plenary_report_for_two_members() {
    let url = fresh_url();
    let out = coalesce(&["demo", "--no-serve", "--database", &url]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let dir = std::env::temp_dir().join(format!("coalesce-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = |name: &str| dir.join(name).display().to_string();
    let report = |member: &str, extra: &[&str], output: &str| {
        let mut args = vec![
            "report",
            "plenary",
            "--member",
            member,
            "--output",
            output,
            "--database",
            &url,
        ];
        args.extend_from_slice(extra);
        coalesce(&args)
    };
    let ok = |o: &Output| {
        assert!(o.status.success(), "{}{}", text(&o.stdout), text(&o.stderr));
        text(&o.stdout).trim().to_string()
    };
    let pdf_text = |file: &str| {
        let o = pdf_tool("pdftotext", &[file, "-"]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        // Lines of a table cell joined: words, one space apart.
        text(&o.stdout)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    // As of the demo's date (16 December 2016).
    let (gbr_pdf, alb_pdf) = (path("gbr.pdf"), path("alb.pdf"));
    ok(&report("GBR", &[], &gbr_pdf));
    ok(&report("ALB", &[], &alb_pdf));
    let gbr = pdf_text(&gbr_pdf);
    let alb = pdf_text(&alb_pdf);
    // The small group's police course (AMBER, small group): GBR reads it,
    // Albania does not, nor anything of the small group's meeting.
    assert!(gbr.contains("Carabinieri"), "{gbr}");
    assert!(!alb.contains("Carabinieri"), "{alb}");
    assert!(gbr.contains("REL TO GBR") && alb.contains("REL TO ALB"));
    // The figures each may read: the commitments (public: 9 for both)
    // and the fund's deposits.
    assert!(
        gbr.contains("5 overdue, 2 on track or open, 2 done"),
        "{gbr}"
    );
    assert!(
        alb.contains("5 overdue, 2 on track or open, 2 done"),
        "{alb}"
    );
    assert!(gbr.contains("USD 14,820,000.00"));
    // Arabic in logical order: the Wales statement's title, in a report
    // as of five days after Wales.
    let wales = path("gbr-2014.pdf");
    ok(&report("GBR", &["--as-of", "2014-09-10"], &wales));
    assert!(pdf_text(&wales)
        .contains("بيان مشترك للوزير كيري والوزير هيغل بعد اجتماع التحالف الأساسي في ويلز"));
    // Sound, and every page has ink.
    for file in [&gbr_pdf, &alb_pdf] {
        let o = pdf_tool("qpdf", &["--check", file]);
        assert!(o.status.success(), "qpdf: {}", text(&o.stdout));
        let prefix = format!("{file}-page");
        let o = pdf_tool("pdftoppm", &["-r", "20", "-gray", file, &prefix]);
        assert!(o.status.success());
        let pages: Vec<_> = std::fs::read_dir(&dir)
            .expect("dir")
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.display().to_string().starts_with(&prefix))
            .collect();
        assert!(pages.len() >= 5, "{} pages", pages.len());
        for p in pages {
            assert!(
                pgm_has_ink(&std::fs::read(&p).expect("page")),
                "{} is blank",
                p.display()
            );
        }
    }
    // A kept report, written again: the same bytes, HTML and PDF.
    let html = path("gbr.html");
    let id = ok(&report("GBR", &[], &html));
    let again = path("gbr-again.html");
    ok(&coalesce(&[
        "report",
        "show",
        &id,
        "--output",
        &again,
        "--database",
        &url,
    ]));
    assert_eq!(
        std::fs::read(&html).expect("html"),
        std::fs::read(&again).expect("again")
    );
    let (p1, p2) = (path("k1.pdf"), path("k2.pdf"));
    ok(&coalesce(&[
        "report",
        "show",
        &id,
        "--output",
        &p1,
        "--database",
        &url,
    ]));
    ok(&coalesce(&[
        "report",
        "show",
        &id,
        "--output",
        &p2,
        "--database",
        &url,
    ]));
    assert_eq!(
        std::fs::read(&p1).expect("pdf"),
        std::fs::read(&p2).expect("pdf")
    );
    // Bad input: an unknown member, a date in the future, a meeting the
    // member may not read, an output that is a directory or has no format.
    // Every demo meeting is public now: a meeting nobody holds is answered
    // as one the member may not read.
    let unknown_meeting = "0190a0a0-0000-7000-8000-000000000000".to_string();
    let nothing = path("nothing.pdf");
    let dir_s = dir.display().to_string();
    for (member, extra, output) in [
        ("ZZZ", vec![], nothing.clone()),
        ("GBR", vec!["--as-of", "2999-01-01"], nothing.clone()),
        (
            "ALB",
            vec!["--meeting", unknown_meeting.as_str()],
            nothing.clone(),
        ),
        ("GBR", vec![], dir_s.clone()),
        ("GBR", vec![], path("report.docx")),
    ] {
        let out = report(member, &extra, &output);
        assert_eq!(out.status.code(), Some(1), "{member} {extra:?} {output}");
        assert!(!text(&out.stderr).is_empty());
    }
    assert!(!std::path::Path::new(&nothing).exists());
    let _ = std::fs::remove_dir_all(&dir);
}

/// The node's identity (issue 15): a key made on first use, a file only
/// its owner reads, the same fingerprint on every start, a rotation that
/// keeps the old public key, a key others may read refused.
#[test]
fn node_identity_is_made_once_kept_private_and_rotated() {
    let url = fresh_url();
    let dir = std::env::temp_dir().join(format!("coalesce-node-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let key = dir.join("node.key");
    let key_arg = key.display().to_string();
    let show = |extra: &[&str]| {
        let mut args = vec!["node", "show", "--database", &url, "--node-key", &key_arg];
        args.extend_from_slice(extra);
        coalesce(&args)
    };
    let first = show(&[]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    let out = text(&first.stdout);
    let print = out
        .lines()
        .find_map(|l| l.strip_prefix("print    "))
        .expect("fingerprint")
        .to_string();
    assert!(print.starts_with("SHA256:"), "{out}");
    assert!(out.lines().any(|l| l.starts_with("node     ")), "{out}");
    assert!(
        out.lines().any(|l| l.starts_with("key      ed25519:")),
        "{out}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key)
            .expect("key file")
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600);
    }
    let again = text(&show(&[]).stdout);
    assert!(again.contains(&print), "the same key on the next start");

    let rotated = coalesce(&[
        "node",
        "rotate-key",
        "--database",
        &url,
        "--node-key",
        &key_arg,
    ]);
    assert!(rotated.status.success(), "{}", text(&rotated.stderr));
    let after = text(&show(&[]).stdout);
    assert!(!after.contains(&format!("print    {print}")), "{after}");
    assert!(
        after
            .lines()
            .any(|l| l.starts_with("retired  ") && l.ends_with(&print)),
        "the old key is kept for verification: {after}"
    );

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let refused = show(&[]);
        assert_eq!(refused.status.code(), Some(1));
        assert!(
            text(&refused.stderr).contains("chmod 600"),
            "{}",
            text(&refused.stderr)
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Two nodes introduced to each other from the command line (issue 15):
/// each adds the other with the key its `node show` prints; the credential
/// is printed once; pause, resume, a new credential, remove.
#[test]
fn peers_are_added_listed_paused_and_removed_from_the_command_line() {
    let (a, b) = (fresh_url(), fresh_url());
    for url in [&a, &b] {
        assert!(coalesce(&["demo", "--no-serve", "--database", url])
            .status
            .success());
    }
    let dir = std::env::temp_dir().join(format!("coalesce-peers-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let key_of = |url: &str, name: &str| {
        let path = dir.join(name).display().to_string();
        let out = coalesce(&["node", "show", "--database", url, "--node-key", &path]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stdout)
            .lines()
            .find_map(|l| l.strip_prefix("key      "))
            .expect("key")
            .to_string()
    };
    let b_key = key_of(&b, "b.key");
    let add = coalesce(&[
        "peer",
        "add",
        "london",
        "https://coalesce.gbr.example",
        "--member",
        "GBR",
        "--key",
        &b_key,
        "--database",
        &a,
    ]);
    assert!(add.status.success(), "{}", text(&add.stderr));
    let out = text(&add.stdout);
    assert!(out.contains("credential for london (shown once"), "{out}");
    // The same name again, and a key that is not one: refused, exit 1.
    let dup = coalesce(&[
        "peer",
        "add",
        "london",
        "https://coalesce.gbr.example",
        "--member",
        "GBR",
        "--key",
        &b_key,
        "--database",
        &a,
    ]);
    assert_eq!(dup.status.code(), Some(1));
    let bad = coalesce(&[
        "peer",
        "add",
        "rome",
        "https://x.example",
        "--member",
        "ITA",
        "--key",
        "ed25519:nope",
        "--database",
        &a,
    ]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        text(&bad.stderr).contains("invalid public key"),
        "{}",
        text(&bad.stderr)
    );
    let list = text(&coalesce(&["peer", "list", "--database", &a]).stdout);
    assert_eq!(list.lines().count(), 1, "{list}");
    assert!(list.contains("london") && list.contains("GBR") && list.contains("active"));
    let paused = coalesce(&["peer", "pause", "london", "--database", &a]);
    assert!(text(&paused.stdout).contains("paused"));
    let refused = coalesce(&["peer", "credential", "london", "--database", &a]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(coalesce(&["peer", "resume", "london", "--database", &a])
        .status
        .success());
    let fresh = coalesce(&["peer", "credential", "london", "--database", &a]);
    assert!(text(&fresh.stdout).starts_with("credential for london"));
    assert!(coalesce(&["peer", "remove", "london", "--database", &a])
        .status
        .success());
    assert!(text(&coalesce(&["peer", "list", "--database", &a]).stdout).is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}
