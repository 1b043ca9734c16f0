//! How two names compare, part by part: `explain NAME1 NAME2 [SCHEMA]`.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(a), Some(b)) = (args.first(), args.get(1)) else {
        eprintln!("usage: explain NAME1 NAME2 [Person|Organization|Vessel]");
        std::process::exit(2);
    };
    let schema = args.get(2).and_then(|s| coalesce_screen::Schema::parse(s));
    for n in [a, b] {
        let parts: Vec<String> = coalesce_screen::normalize::tokenize_as(n, schema)
            .iter()
            .map(|t| {
                let read = if t.korean {
                    ":korean"
                } else if t.japanese {
                    ":japanese"
                } else if t.chinese {
                    ":chinese"
                } else {
                    ""
                };
                format!("{}:{:?}:{}{read}", t.text, t.kind, t.skel)
            })
            .collect();
        println!("{n}: {}", parts.join(" "));
    }
    let s = coalesce_screen::compare_names(a, b, schema);
    println!("score {:.4}: {}", s.score, s.describe());
}
