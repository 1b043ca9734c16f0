//! Records for the exchange tests and the IATI sample (the example includes
//! this file): the Iraq campaign of 2014–15 in a few contributions —
//! money and in kind, joint, partly delivered, cancelled, Arabic text and
//! characters that need escaping in CSV and XML.
#![allow(dead_code)]

use coalesce_domain::indicators::IndicatorValue;
use coalesce_domain::needs::{
    AdminArea, Contribution, Coordinates, Delivery, Measure, Place, Requirement, Status, Window,
};
use coalesce_domain::Marking;
use std::collections::BTreeMap;

pub fn marking(tlp: &str, rel: &[&str]) -> Marking {
    let rel: Vec<String> = rel.iter().map(|s| s.to_string()).collect();
    Marking::parse(tlp, &rel).expect("marking")
}

pub fn place(
    country: &str,
    admin1: Option<(&str, &str)>,
    town: Option<&str>,
    point: Option<(f64, f64)>,
) -> Place {
    Place::parse(
        country,
        admin1.map(|(n, c)| AdminArea::parse(n, c).expect("admin1")),
        town,
        point.map(|(la, lo)| Coordinates::from_degrees(la, lo).expect("point")),
    )
    .expect("place")
}

pub fn window(s: &str, e: &str) -> Window {
    Window::parse(s, e).expect("window")
}

pub fn money(amount: i64, currency: &str) -> Measure {
    Measure::money(amount, currency).expect("money")
}

pub fn quantity(amount: i64, unit: &str) -> Measure {
    Measure::quantity(amount, unit).expect("quantity")
}

/// 2014-09-01T00:00:00Z in unix milliseconds.
pub const SEPT_2014: i64 = 1_409_529_600_000;

#[allow(clippy::too_many_arguments)]
pub fn requirement(
    id: &str,
    title: &str,
    description: &str,
    requesting: &str,
    category: &str,
    measure: Measure,
    place: Place,
    window: Window,
    marking: Marking,
) -> Requirement {
    Requirement {
        id: id.into(),
        origin: requesting.into(),
        requesting_member: requesting.into(),
        line_of_effort: "military-support".into(),
        category: category.into(),
        title: title.into(),
        description: description.into(),
        measure,
        place,
        window,
        priority: 1,
        marking,
        version: 3,
        revoked: false,
        requester_confirmed: true,
        created_at_ms: SEPT_2014,
        created_by: "irq.planner".into(),
        updated_at_ms: SEPT_2014,
        updated_by: "irq.planner".into(),
    }
}

pub struct Contrib<'a> {
    pub id: &'a str,
    pub origin: &'a str,
    pub contributors: &'a [&'a str],
    pub requirement_id: Option<&'a str>,
    pub line_of_effort: &'a str,
    pub category: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub measure: Measure,
    pub place: Option<Place>,
    pub window: Option<Window>,
    pub status: Status,
    pub deliveries: &'a [(&'a str, i64, &'a str)],
    pub marking: Marking,
}

pub fn contribution(c: Contrib<'_>) -> (Contribution, Vec<Delivery>) {
    let deliveries: Vec<Delivery> = c
        .deliveries
        .iter()
        .enumerate()
        .map(|(i, (on, amount, evidence))| Delivery {
            id: format!("{}-d{}", c.id, i + 1),
            seq: i as i64 + 1,
            delivered_on: (*on).into(),
            amount: *amount,
            evidence: (*evidence).into(),
            recorded_at_ms: SEPT_2014,
            recorded_by: "usa.j4".into(),
            received_at_ms: None,
            received_by: None,
            received_member: None,
            received_amount: None,
            received_on: None,
            received_note: None,
        })
        .collect();
    let mut contributors: Vec<String> = c.contributors.iter().map(|s| s.to_string()).collect();
    contributors.sort();
    (
        Contribution {
            id: c.id.into(),
            origin: c.origin.into(),
            contributors,
            proposed_contributors: Vec::new(),
            requirement_id: c.requirement_id.map(str::to_string),
            line_of_effort: c.line_of_effort.into(),
            category: c.category.into(),
            title: c.title.into(),
            description: c.description.into(),
            measure: c.measure,
            place: c.place,
            window: c.window,
            place_from_requirement: false,
            window_from_requirement: false,
            status: c.status,
            delivered: deliveries.iter().map(|d| d.amount).sum(),
            marking: c.marking,
            parties: Vec::new(),
            version: 2,
            created_at_ms: SEPT_2014,
            created_by: "usa.j4".into(),
            updated_at_ms: SEPT_2014 + 86_400_000,
            updated_by: "usa.j4".into(),
        },
        deliveries,
    )
}

/// The requirements the sample contributions answer.
pub fn requirements() -> Vec<Requirement> {
    vec![
        requirement(
            "019000aa-0000-7000-8000-000000000001",
            "Protective equipment for 12 brigades",
            "Helmets, body armour; \"level IIIA\" or better.\nDeliver to Baghdad, then onward.",
            "IRQ",
            "protective-equipment",
            quantity(12, "brigade-set"),
            place(
                "IRQ",
                Some(("Baghdad", "IQG07")),
                Some("Baghdad"),
                Some((33.3152, 44.3661)),
            ),
            window("2014-10-01", "2015-03-31"),
            marking("AMBER", &["COALITION"]),
        ),
        requirement(
            "019000aa-0000-7000-8000-000000000002",
            "إعادة تأهيل محطة المياه في تكريت",
            "=IMPORTXML(\"http://x\") — a formula, kept as text",
            "IRQ",
            "water",
            money(150_000_000, "USD"),
            place("IRQ", Some(("Salah al-Din", "IQG18")), Some("Tikrit"), None),
            window("2015-04-01", "2015-06-30"),
            marking("GREEN", &["GBR", "FRA", "GROUP:small-group"]),
        ),
        requirement(
            "019000aa-0000-7000-8000-000000000003",
            "Shelter kits, Erbil",
            "",
            "IRQ",
            "humanitarian-supplies",
            money(1_500_250, "KWD"),
            place("IRQ", None, Some("Erbil"), None),
            window("2014-09-01", "2014-12-31"),
            marking("CLEAR", &[]),
        ),
        requirement(
            "019000aa-0000-7000-8000-000000000004",
            "Mine clearance, Sinjar",
            "-5 metres from the road, @night only, +1 team",
            "IRQ",
            "mine-action",
            money(50_000_000, "JPY"),
            place("IRQ", None, None, Some((-0.5, -179.999999))),
            window("2015-01-01", "2015-01-01"),
            marking("RED", &["USA"]),
        ),
    ]
}

/// The sample contributions, with their deliveries.
pub fn contributions() -> Vec<(Contribution, Vec<Delivery>)> {
    let mut all = vec![
        // Joint, money, committed, partly delivered; special characters.
        contribution(Contrib {
            id: "019000bb-0000-7000-8000-000000000001",
            origin: "USA",
            contributors: &["USA", "FRA", "AUS", "GBR"],
            requirement_id: None,
            line_of_effort: "humanitarian",
            category: "humanitarian-supplies",
            title: "Amerli airdrop — food & water <urgent> \"phase 1\"",
            description: "Airdrops to the besieged town, 30 Aug – 1 Sep.\nإسقاط جوي للمساعدات الإنسانية على آمرلي, with commas, \"quotes\" & <brackets>",
            measure: money(150_000_000, "USD"),
            place: Some(place(
                "IRQ",
                Some(("Salah al-Din", "IQG18")),
                Some("Amerli"),
                Some((34.724, 44.585)),
            )),
            window: Some(window("2014-08-30", "2014-09-01")),
            status: Status::Committed,
            deliveries: &[
                ("2014-08-30", 40_000_000, "Drop 1: 7 bundles; waybill #17 & #18"),
                ("2014-09-01", 35_000_050, ""),
            ],
            marking: marking("GREEN", &["COALITION"]),
        }),
        // In kind against a requirement, fully delivered in two parts; the
        // place and window come from the requirement.
        contribution(Contrib {
            id: "019000bb-0000-7000-8000-000000000002",
            origin: "GBR",
            contributors: &["GBR"],
            requirement_id: Some("019000aa-0000-7000-8000-000000000001"),
            line_of_effort: "military-support",
            category: "protective-equipment",
            title: "Body armour for 12 brigades",
            description: "",
            measure: quantity(12, "brigade-set"),
            place: None,
            window: None,
            status: Status::Delivered,
            deliveries: &[
                ("2014-11-03", 5, "Receipt signed at Baghdad airport"),
                ("2015-01-20", 7, "Second lot"),
            ],
            marking: marking("AMBER", &["IRQ", "USA"]),
        }),
        // Money in yen, cancelled; recorded before places were kept.
        contribution(Contrib {
            id: "019000bb-0000-7000-8000-000000000003",
            origin: "JPN",
            contributors: &["JPN"],
            requirement_id: None,
            line_of_effort: "stabilisation",
            category: "electricity",
            title: "Generators for Ramadi",
            description: "Cancelled: the route closed.",
            measure: money(50_000_000, "JPY"),
            place: None,
            window: None,
            status: Status::Cancelled,
            deliveries: &[],
            marking: marking("RED", &[]),
        }),
        // Arabic title, Kuwaiti dinars (three decimals), pledged.
        contribution(Contrib {
            id: "019000bb-0000-7000-8000-000000000004",
            origin: "KWT",
            contributors: &["KWT", "SAU"],
            requirement_id: Some("019000aa-0000-7000-8000-000000000003"),
            line_of_effort: "humanitarian",
            category: "humanitarian-supplies",
            title: "مساعدات إنسانية للنازحين في أربيل",
            description: "خيام وبطانيات",
            measure: money(1_500_250, "KWD"),
            place: Some(place("IRQ", None, Some("أربيل"), None)),
            window: Some(window("2014-09-15", "2014-10-15")),
            status: Status::Pledged,
            deliveries: &[],
            marking: marking("CLEAR", &[]),
        }),
        // An organisation, in kind, committed, one delivery, a point only.
        contribution(Contrib {
            id: "019000bb-0000-7000-8000-000000000005",
            origin: "NATO",
            contributors: &["NATO"],
            requirement_id: None,
            line_of_effort: "military-support",
            category: "training-course",
            title: "=HYPERLINK(\"http://evil\") counter-IED course",
            description: "+ defence capacity building; -10% cost; @Taji",
            measure: quantity(3, "course"),
            place: Some(place("IRQ", None, None, Some((33.52, 44.25)))),
            window: Some(window("2015-02-01", "2015-06-30")),
            status: Status::Committed,
            deliveries: &[("2015-03-01", 1, "Course 1 held at Taji")],
            marking: marking("GREEN", &["GROUP:small-group", "IRQ"]),
        }),
    ];
    // The airdrop's implementing partner (with characters to escape).
    all[0].0.parties = vec![coalesce_domain::needs::Party::parse(
        "implementing_partner",
        "organisation",
        "UN team on the ground <OCHA> & partners",
        None,
    )
    .expect("party")];
    all
}

pub fn member_names() -> BTreeMap<String, String> {
    [
        ("USA", "United States of America"),
        ("GBR", "United Kingdom"),
        ("FRA", "France"),
        ("AUS", "Australia"),
        ("JPN", "Japan"),
        ("KWT", "الكويت"),
        ("SAU", "Saudi Arabia"),
        ("IRQ", "Iraq"),
        ("NATO", "North Atlantic Treaty Organization & partners"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

pub fn value(
    id: &str,
    indicator: &str,
    origin: &str,
    observed_on: &str,
    value: f64,
    note: &str,
    marking: Marking,
) -> IndicatorValue {
    IndicatorValue {
        id: id.into(),
        indicator: indicator.into(),
        origin: origin.into(),
        observed_on: observed_on.into(),
        value,
        note: note.into(),
        marking,
        recorded_at_ms: SEPT_2014,
        recorded_by: "usa.analyst".into(),
    }
}

pub fn values() -> Vec<IndicatorValue> {
    vec![
        value(
            "v1",
            "airstrikes",
            "USA",
            "2014-09-30",
            300.0,
            "",
            marking("GREEN", &["COALITION"]),
        ),
        value(
            "v2",
            "territory-held",
            "IRQ",
            "2015-04-01",
            25.5,
            "Estimate, ±2 points; \"provisional\"",
            marking("AMBER", &["USA", "GBR"]),
        ),
        value(
            "v3",
            "territory-held",
            "IRQ",
            "2015-12-31",
            0.1,
            "=1+1",
            marking("CLEAR", &[]),
        ),
        value(
            "v4",
            "returns",
            "IRQ",
            "2016-01-31",
            1_000_000_000_000_000.0,
            "عودة النازحين\nsecond line",
            marking("RED", &[]),
        ),
        value(
            "v5",
            "change",
            "USA",
            "2016-02-01",
            -5.25,
            "-5.25 is a number",
            marking("GREEN", &[]),
        ),
    ]
}

/// A pooled fund with two projects and a transfer of every kind the ledger
/// writes (a pending pledge, a voided one, a reversal, a narrower pledge).
#[allow(dead_code)]
pub fn funds() -> Vec<coalesce_exchange::iati_fund::FundActivity> {
    use coalesce_domain::fund::{Fund, FundProject, FundWindow, ProjectStatus};
    use coalesce_exchange::iati_fund::{FundActivity, FundFlow, ProjectRecord};
    let flow = |id: &str, code: &str, amount: i64, currency: &str, date: &str| FundFlow {
        id: id.into(),
        code: code.into(),
        amount,
        currency: currency.into(),
        value_date: date.into(),
        donor: None,
        project: None,
        organisation: None,
        reversal: false,
        pending: false,
        narrower: None,
    };
    let donor = |mut f: FundFlow, d: &str| {
        f.donor = Some(d.into());
        f
    };
    let project = |mut f: FundFlow, p: &str, o: &str| {
        f.project = Some(p.into());
        f.organisation = Some(o.into());
        f
    };
    let mut pending = donor(
        flow("nld-2015", "pledge", 100_000_000, "EUR", "2015-10-15"),
        "NLD",
    );
    pending.pending = true;
    let mut quiet = donor(
        flow("kwt-2015", "pledge", 200_000_000, "USD", "2015-11-01"),
        "KWT",
    );
    quiet.pending = true;
    quiet.narrower = Some("TLP:AMBER REL TO GROUP:small-group, USA".into());
    let mut reversal = donor(
        flow("usa-2015-rev", "deposit", 100_000, "USD", "2015-07-01"),
        "USA",
    );
    reversal.reversal = true;
    let mut approval = flow("approve-1", "approval", 250_000_000, "USD", "2015-07-05");
    approval.project = Some("FFS-TKT-001".into());
    let flows = vec![
        donor(
            flow("usa-2015", "pledge", 700_000_000, "USD", "2015-06-15"),
            "USA",
        ),
        donor(
            flow("usa-2015-c", "commitment", 700_000_000, "USD", "2015-06-20"),
            "USA",
        ),
        donor(
            flow("usa-2015-d", "deposit", 700_000_000, "USD", "2015-06-25"),
            "USA",
        ),
        donor(
            flow(
                "usa-2015-d:fee",
                "agent_fee",
                7_000_000,
                "USD",
                "2015-06-25",
            ),
            "USA",
        ),
        reversal,
        pending,
        quiet,
        donor(
            flow("gbr-void", "pledge_void", 5_000_000, "GBP", "2015-09-10"),
            "GBR",
        ),
        flow("interest-2015", "interest", 1_250_000, "USD", "2015-12-31"),
        approval,
        project(
            flow(
                "disburse-1",
                "disbursement",
                200_000_000,
                "USD",
                "2015-07-15",
            ),
            "FFS-TKT-001",
            "UNDP",
        ),
        project(
            flow(
                "disburse-1:indirect",
                "indirect_cost",
                14_000_000,
                "USD",
                "2015-07-15",
            ),
            "FFS-TKT-001",
            "UNDP",
        ),
        project(
            flow("expend-1", "expenditure", 120_000_000, "USD", "2015-12-31"),
            "FFS-TKT-001",
            "UNDP",
        ),
        project(
            flow("refund-1", "refund", 1_000_000, "USD", "2016-01-31"),
            "FFS-TKT-001",
            "UNDP",
        ),
    ];
    let p = |id: &str, code: &str, title: &str, status| ProjectRecord {
        id: id.into(),
        project: FundProject {
            fund: "01900000-0000-7000-8000-00000000f000".into(),
            code: code.into(),
            title: title.into(),
            window: "W1".into(),
            pcode: "IQG16".into(),
            place: "Tikrit, Salah al-Din".into(),
            organisation: "UNDP".into(),
            line_of_effort: Some("stabilisation".into()),
            activity_status: status,
            budget: 250_000_000,
            currency: "USD".into(),
            source: "Illustrative.".into(),
        },
        marking: marking("GREEN", &["COALITION"]),
    };
    vec![FundActivity {
        id: "01900000-0000-7000-8000-00000000f000".into(),
        origin: "USA".into(),
        fund: Fund {
            name: "Funding Facility for Immediate Stabilization (FFIS)".into(),
            agent: "UNDP (administrative agent)".into(),
            base_currency: "USD".into(),
            fee_bp: 100,
            indirect_bp: 700,
            windows: vec![FundWindow {
                code: "W1".into(),
                name: "Public works and light infrastructure".into(),
            }],
            opened: "2015-06-01".into(),
            source: "Illustrative splits.".into(),
        },
        marking: marking("GREEN", &["COALITION"]),
        projects: vec![
            p(
                "01900000-0000-7000-8000-00000000f001",
                "FFS-TKT-001",
                "Tikrit water network",
                ProjectStatus::Ongoing,
            ),
            p(
                "01900000-0000-7000-8000-00000000f002",
                "FFS-TKT-002",
                "Tikrit hospital power",
                ProjectStatus::Planned,
            ),
        ],
        flows,
    }]
}
