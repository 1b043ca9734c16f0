//! A contribution's deliveries and lifecycle (pledged → committed → delivered, or cancelled), and the summary of a requirement: pure integer arithmetic.

use super::*;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
/// One recorded delivery of a contribution.
pub struct Delivery {
    pub id: String,
    /// 1, 2, … in the order recorded.
    pub seq: i64,
    pub delivered_on: String,
    pub amount: i64,
    pub evidence: String,
    pub recorded_at_ms: i64,
    pub recorded_by: String,
    /// Set once, when a user of the requesting member confirms receipt.
    pub received_at_ms: Option<i64>,
    pub received_by: Option<String>,
    pub received_member: Option<String>,
    /// What the requesting member says arrived, when less than delivered.
    #[serde(default)]
    pub received_amount: Option<i64>,
    /// The day it arrived (YYYY-MM-DD), as the requesting member says.
    #[serde(default)]
    pub received_on: Option<String>,
    #[serde(default)]
    pub received_note: Option<String>,
}

impl Delivery {
    /// How much of it was received: none until receipt is confirmed, then
    /// the amount confirmed (all of it unless said otherwise).
    pub fn received(&self) -> i64 {
        match self.received_at_ms {
            Some(_) => self.received_amount.unwrap_or(self.amount),
            None => 0,
        }
    }
}

/// What the requesting member says it received of one delivery: how much
/// (all of it when not said), the day it arrived (the day of confirming
/// when not said), and a note (what was missing, damaged, …).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Receipt {
    pub amount: Option<i64>,
    pub received_on: Option<String>,
    pub note: String,
}

impl Receipt {
    pub fn parse(
        amount: Option<i64>,
        received_on: Option<&str>,
        note: &str,
    ) -> Result<Self, DomainError> {
        if let Some(a) = amount {
            if a <= 0 {
                return Err(invalid(
                    "receipt.amount",
                    format!("{a}: what was received is more than nothing (to say nothing arrived, do not confirm receipt)"),
                ));
            }
        }
        let received_on = match received_on.map(str::trim).filter(|d| !d.is_empty()) {
            Some(d) => {
                super::place::date("receipt.received_on", d)?;
                Some(d.to_string())
            }
            None => None,
        };
        Ok(Receipt {
            amount,
            received_on,
            note: crate::text::body("receipt.note", note, MAX_EVIDENCE)?,
        })
    }

    /// Checks the receipt against its delivery (`delivered` on
    /// `delivered_on`): not more than was delivered, not before that day.
    pub fn check_against(&self, delivered: i64, delivered_on: &str) -> Result<(), DomainError> {
        if let Some(a) = self.amount {
            if a > delivered {
                return Err(invalid(
                    "receipt.amount",
                    format!("{a} received is more than the {delivered} delivered"),
                ));
            }
        }
        if let Some(on) = &self.received_on {
            if on.as_str() < delivered_on {
                return Err(invalid(
                    "receipt.received_on",
                    format!("{on} is before the delivery was made ({delivered_on})"),
                ));
            }
        }
        Ok(())
    }
}

/// One delivery as recorded: the date, how much, what proves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryDraft {
    pub delivered_on: String,
    pub amount: i64,
    pub evidence: String,
}

impl DeliveryDraft {
    pub fn parse(delivered_on: &str, amount: i64, evidence: &str) -> Result<Self, DomainError> {
        Ok(DeliveryDraft {
            delivered_on: crate::text::iso_date("delivered_on", delivered_on)?,
            amount: positive_amount("delivery.amount", amount)?,
            evidence: crate::text::body("evidence", evidence, MAX_EVIDENCE)?,
        })
    }
}

/// Where a contribution stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pledged,
    Committed,
    Delivered,
    Cancelled,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Pledged,
        Status::Committed,
        Status::Delivered,
        Status::Cancelled,
    ];

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        match s {
            "pledged" => Ok(Status::Pledged),
            "committed" => Ok(Status::Committed),
            "delivered" => Ok(Status::Delivered),
            "cancelled" => Ok(Status::Cancelled),
            _ => Err(invalid(
                "status",
                format!("{s:?}: expected pledged, committed, delivered or cancelled"),
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pledged => "pledged",
            Status::Committed => "committed",
            Status::Delivered => "delivered",
            Status::Cancelled => "cancelled",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A change of a contribution's lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    /// pledged → committed.
    Commit,
    /// committed → committed (partial) or delivered (when the deliveries
    /// reach the contribution's amount). The amount must be positive.
    Deliver(i64),
    /// pledged or committed → cancelled, as long as nothing was delivered.
    Cancel,
}

impl Transition {
    pub fn name(self) -> &'static str {
        match self {
            Transition::Commit => "commit",
            Transition::Deliver(_) => "deliver",
            Transition::Cancel => "cancel",
        }
    }
}

/// Why a transition was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransitionError {
    /// The transition does not apply in this state (a conflict with the
    /// record as it stands).
    NotAllowed {
        from: Status,
        transition: &'static str,
    },
    /// The delivery amount is not positive or would exceed what was
    /// committed (overdelivery is refused, never recorded).
    BadAmount(String),
}

impl fmt::Display for TransitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransitionError::NotAllowed { from, transition } => {
                write!(f, "a {from} contribution cannot {transition}")
            }
            TransitionError::BadAmount(r) => f.write_str(r),
        }
    }
}

/// The lifecycle state of a contribution: its status, its amount and how
/// much of it has been delivered.
///
/// Invariants, kept by [`Progress::apply`] from [`Progress::new`]:
/// `0 <= delivered <= amount`; `status == Delivered` exactly when
/// `delivered == amount`; `delivered > 0` only in `Committed` or
/// `Delivered`; a `Cancelled` contribution delivered nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub status: Status,
    pub amount: i64,
    pub delivered: i64,
}

impl Progress {
    /// A new pledge of `amount` (validated positive by [`Measure`]).
    pub fn new(amount: i64) -> Self {
        Progress {
            status: Status::Pledged,
            amount,
            delivered: 0,
        }
    }

    /// What remains to deliver.
    pub fn outstanding(&self) -> i64 {
        self.amount.saturating_sub(self.delivered).max(0)
    }

    /// The one transition function of the lifecycle.
    pub fn apply(self, t: Transition) -> Result<Progress, TransitionError> {
        let refuse = || TransitionError::NotAllowed {
            from: self.status,
            transition: t.name(),
        };
        match (self.status, t) {
            (Status::Pledged, Transition::Commit) => Ok(Progress {
                status: Status::Committed,
                ..self
            }),
            (Status::Committed, Transition::Deliver(n)) => {
                if n <= 0 {
                    return Err(TransitionError::BadAmount(format!(
                        "a delivery of {n} is not positive"
                    )));
                }
                let outstanding = self.outstanding();
                if n > outstanding {
                    return Err(TransitionError::BadAmount(format!(
                        "a delivery of {n} exceeds the {outstanding} still to deliver"
                    )));
                }
                let delivered = self.delivered + n;
                Ok(Progress {
                    status: if delivered == self.amount {
                        Status::Delivered
                    } else {
                        Status::Committed
                    },
                    delivered,
                    ..self
                })
            }
            (Status::Pledged | Status::Committed, Transition::Cancel) if self.delivered == 0 => {
                Ok(Progress {
                    status: Status::Cancelled,
                    ..self
                })
            }
            _ => Err(refuse()),
        }
    }

    /// Whether the invariants above hold (for stored data and tests).
    pub fn is_consistent(&self) -> bool {
        self.amount > 0
            && (0..=self.amount).contains(&self.delivered)
            && ((self.status == Status::Delivered) == (self.delivered == self.amount))
            && (self.delivered == 0 || matches!(self.status, Status::Committed | Status::Delivered))
    }
}

/// The figures of one requirement, in its unit or currency, over the
/// contributions against it **that the viewer may read** (the store filters
/// them in SQL before they get here).
///
/// Definitions (all sums saturate at `i64::MAX` instead of wrapping):
/// - `requested`: the requirement's amount.
/// - `pledged`: the amounts of contributions still `pledged`.
/// - `committed`: what `committed` contributions have yet to deliver
///   (amount − delivered so far), so nothing is counted twice with `delivered`.
/// - `delivered`: everything delivered by non-cancelled contributions
///   (`committed` with partial deliveries, and `delivered`). Cancelled
///   contributions never delivered anything (cancellation is refused after a
///   delivery).
/// - `received`: the part of `delivered` whose receipt the requesting member
///   confirmed.
/// - `gap`: `requested − (committed + delivered)`, floored at 0. Pledges do
///   not close the gap: they are not yet firm.
/// - `excess`: `(committed + delivered) − requested`, floored at 0 — the
///   over-commitment that the duplication view reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Summary {
    pub requested: i64,
    pub pledged: i64,
    pub committed: i64,
    pub delivered: i64,
    pub received: i64,
    pub gap: i64,
    pub excess: i64,
}

/// One contribution's part in a [`Summary`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counted {
    pub progress: Progress,
    /// Delivered amounts whose receipt was confirmed.
    pub received: i64,
}

impl Summary {
    pub fn compute(requested: i64, contributions: impl IntoIterator<Item = Counted>) -> Summary {
        let mut s = Summary {
            requested,
            ..Summary::default()
        };
        for c in contributions {
            let p = c.progress;
            match p.status {
                Status::Pledged => s.pledged = s.pledged.saturating_add(p.amount),
                Status::Committed => {
                    s.committed = s.committed.saturating_add(p.outstanding());
                    s.delivered = s.delivered.saturating_add(p.delivered);
                    s.received = s.received.saturating_add(c.received);
                }
                Status::Delivered => {
                    s.delivered = s.delivered.saturating_add(p.delivered);
                    s.received = s.received.saturating_add(c.received);
                }
                Status::Cancelled => {}
            }
        }
        let firm = s.committed.saturating_add(s.delivered);
        s.gap = requested.saturating_sub(firm).max(0);
        s.excess = firm.saturating_sub(requested).max(0);
        s
    }
}
