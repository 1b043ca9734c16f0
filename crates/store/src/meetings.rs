//! Meetings' follow-up in the database. Meetings, statements and
//! commitments are records of the layer (`domain::meetings`); here is what
//! is computed over them for one reader — a commitment's parts and
//! progress as that reader may read them, and whether it is overdue —
//! the carry-over of open items into the next meeting of a group, the
//! notices sent about commitments (reminders and escalations, run with a
//! clock given by the caller), and the secret tokens of calendar feeds.

use crate::audience::{readable, readable_set};
use crate::records::{all_pages, RecordFilter};
use crate::{audit, now_ms, Principal, Result, Store, StoreError};
use coalesce_domain::meetings::{
    due_end_ms, is_overdue, progress, reminders_due, Commitment, CommitmentKind, Discussion, Link,
    LinkTarget, Meeting, MeetingKind, NoticeKind, PartFigures, Progress,
};
use coalesce_domain::needs::{ContributionRecordKind, Status as ContributionStatus};
use coalesce_domain::record::{Record, RefTarget};
use coalesce_domain::DomainError;
use serde::Serialize;
use sqlx::Row;
use std::collections::BTreeMap;

/// Records read at once when listing.
const PAGE: i64 = 500;

/// A part of a commitment as its reader sees it.
#[derive(Debug, Clone, Serialize)]
pub struct PartView {
    pub link: Link,
    /// What it is, when readable (a contribution's title, a pledge's donor
    /// and amount, an indicator's name).
    pub label: Option<String>,
    #[serde(skip)]
    pub figures: PartFigures,
    /// Its share done, 0 to 1; `None` when the reader may not read it.
    pub share: Option<f64>,
}

/// A meeting that discussed a commitment, as its reader sees it.
#[derive(Debug, Clone, Serialize)]
pub struct Discussed {
    pub meeting: String,
    pub title: String,
    pub starts: String,
    pub agenda_item: Option<u32>,
}

/// A commitment with what is computed for its reader.
#[derive(Debug, Clone)]
pub struct CommitmentView {
    pub record: Record<Commitment>,
    /// Its meeting's time zone (its due date is a day there).
    pub time_zone: String,
    pub meeting_title: String,
    pub parts: Vec<PartView>,
    pub progress: Progress,
    /// When its due day is over, in Unix milliseconds.
    pub due_end_ms: i64,
    pub overdue: bool,
    /// Its meeting and every later one that discussed it, oldest first.
    pub history: Vec<Discussed>,
}

/// Which commitments a board lists.
#[derive(Debug, Clone, Default)]
pub struct BoardFilter {
    pub meeting: Option<String>,
    pub owner: Option<String>,
    pub line_of_effort: Option<String>,
    /// Only those overdue at the board's time.
    pub overdue_only: bool,
}

/// What a carry-over did.
#[derive(Debug, Clone, Serialize)]
pub struct CarryOver {
    /// The meeting whose open items were carried.
    pub from: String,
    /// The agenda item of the new meeting that follows them up.
    pub agenda_item: u32,
    /// The commitments carried (already carried ones are not again).
    pub carried: Vec<String>,
}

/// A notice on a user's digest.
#[derive(Debug, Clone)]
pub struct Notice {
    pub id: String,
    pub notice: NoticeKind,
    pub due: String,
    pub sent_at_ms: i64,
    pub read: bool,
    pub commitment: CommitmentView,
}

/// Who a calendar token belongs to, or why it reads nothing.
#[derive(Debug, Clone)]
pub enum CalendarToken {
    Valid(Principal),
    Revoked,
    Unknown,
}

fn token_hash(token: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn invalid(field: &'static str, reason: impl Into<String>) -> StoreError {
    StoreError::Invalid(DomainError::InvalidField {
        field,
        reason: reason.into(),
    })
}

/// Meetings read once per request, by id.
#[derive(Default)]
struct MeetingCache(BTreeMap<String, Option<Record<Meeting>>>);

impl MeetingCache {
    async fn get(
        &mut self,
        store: &Store,
        p: &Principal,
        id: &str,
    ) -> Result<Option<&Record<Meeting>>> {
        if !self.0.contains_key(id) {
            let m = match store.fetch_record::<MeetingKind>(p, id).await {
                Ok(m) => Some(m),
                Err(StoreError::NotFound) => None,
                Err(e) => return Err(e),
            };
            self.0.insert(id.to_string(), m);
        }
        Ok(self.0.get(id).and_then(Option::as_ref))
    }
}

impl Store {
    /// Every live meeting the reader may read, latest first.
    pub async fn list_meetings(&self, p: &Principal) -> Result<Vec<Record<Meeting>>> {
        let mut all = all_pages(|cursor| async move {
            self.list_records::<MeetingKind>(p, &RecordFilter::default(), cursor.as_deref(), PAGE)
                .await
        })
        .await?;
        all.sort_by(|a, b| b.body.starts.cmp(&a.body.starts).then(b.id.cmp(&a.id)));
        Ok(all)
    }

    /// A part's figures as `p` may read them.
    async fn part_view(&self, p: &Principal, link: &Link) -> Result<PartView> {
        // A part the reader may not read comes redacted: no id.
        let (label, figures) = match link.target {
            _ if link.id.is_empty() => (None, PartFigures::Unreadable),
            LinkTarget::Contribution => {
                match self
                    .fetch_record::<ContributionRecordKind>(p, &link.id)
                    .await
                {
                    Ok(c) => {
                        let pr = c.body.progress();
                        (
                            Some(format!("{} ({})", c.body.title, c.origin)),
                            PartFigures::Contribution {
                                pledged: pr.amount,
                                delivered: pr.delivered,
                                cancelled: pr.status == ContributionStatus::Cancelled,
                            },
                        )
                    }
                    Err(StoreError::NotFound) => (None, PartFigures::Unreadable),
                    Err(e) => return Err(e),
                }
            }
            LinkTarget::FundPledge => self.pledge_figures(p, &link.id).await?,
            LinkTarget::Indicator => match self.indicator_standing(p, &link.id).await {
                Ok((ind, standing)) => (
                    Some(ind.name.clone()),
                    PartFigures::Indicator {
                        baseline: ind.baseline,
                        target: link
                            .target_value
                            .or(standing.target.as_ref().map(|t| t.value)),
                        actual: standing.actual,
                    },
                ),
                Err(StoreError::NotFound) => (None, PartFigures::Unreadable),
                Err(e) => return Err(e),
            },
        };
        Ok(PartView {
            link: link.clone(),
            label,
            share: figures.share(),
            figures,
        })
    }

    /// A pledge's amount and what was paid in against it (deposits not
    /// reversed), if `p` may read the pledge.
    async fn pledge_figures(
        &self,
        p: &Principal,
        id: &str,
    ) -> Result<(Option<String>, PartFigures)> {
        let sql = format!(
            "SELECT t.amount, t.currency, t.debit, t.donor FROM ledger_transfers t \
             WHERE t.id = $1 AND t.code = 'pledge' AND t.phase = 'pending' AND {}",
            readable_set("t.audience_key", "$2")
        );
        let Some(row) = sqlx::query(&sql)
            .bind(id)
            .bind(p.member.as_str())
            .fetch_optional(self.pool())
            .await?
        else {
            return Ok((None, PartFigures::Unreadable));
        };
        let amount: i64 = row.try_get("amount")?;
        let currency: String = row.try_get("currency")?;
        let receivable: String = row.try_get("debit")?;
        let donor: String = row.try_get("donor")?;
        let (voided,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM ledger_transfers WHERE resolves = $1 AND phase = 'void'",
        )
        .bind(id)
        .fetch_one(self.pool())
        .await?;
        let (paid,): (i64,) = sqlx::query_as(
            "SELECT COALESCE(CAST(SUM(d.amount) AS BIGINT), 0) FROM ledger_transfers d \
             WHERE d.credit = $1 AND d.code = 'deposit'",
        )
        .bind(&receivable)
        .fetch_one(self.pool())
        .await?;
        let (reversed,): (i64,) = sqlx::query_as(
            "SELECT COALESCE(CAST(SUM(r.amount) AS BIGINT), 0) FROM ledger_transfers d \
             JOIN ledger_transfers r ON r.reverses = d.id \
             WHERE d.credit = $1 AND d.code = 'deposit'",
        )
        .bind(&receivable)
        .fetch_one(self.pool())
        .await?;
        let major = coalesce_ledger::Currency::parse(&currency)
            .map(|c| c.format_amount(amount))
            .unwrap_or_else(|_| amount.to_string());
        Ok((
            Some(format!("{donor} pledge of {major} {currency}")),
            PartFigures::Pledge {
                amount,
                paid: paid - reversed,
                voided: voided > 0,
            },
        ))
    }

    async fn view_of(
        &self,
        p: &Principal,
        record: Record<Commitment>,
        meetings: &mut MeetingCache,
        now: i64,
    ) -> Result<Option<CommitmentView>> {
        // Readable with its meeting only (the layer hides it otherwise).
        let Some(meeting) = meetings.get(self, p, &record.body.meeting).await?.cloned() else {
            return Ok(None);
        };
        let mut parts = Vec::with_capacity(record.body.links.len());
        for l in &record.body.links {
            parts.push(self.part_view(p, l).await?);
        }
        let weighted: Vec<(u32, PartFigures)> =
            parts.iter().map(|v| (v.link.weight, v.figures)).collect();
        let pr = progress(&weighted);
        let due_end = due_end_ms(&record.body.due, &meeting.body.time_zone)?;
        let mut history = vec![Discussed {
            meeting: meeting.id.clone(),
            title: meeting.body.title.clone(),
            starts: meeting.body.starts.clone(),
            agenda_item: record.body.agenda_item,
        }];
        for d in &record.body.discussed {
            if let Some(m) = meetings.get(self, p, &d.meeting).await? {
                history.push(Discussed {
                    meeting: m.id.clone(),
                    title: m.body.title.clone(),
                    starts: m.body.starts.clone(),
                    agenda_item: Some(d.agenda_item),
                });
            }
        }
        Ok(Some(CommitmentView {
            overdue: is_overdue(record.body.state, pr.share, due_end, now),
            time_zone: meeting.body.time_zone.clone(),
            meeting_title: meeting.body.title.clone(),
            parts,
            progress: pr,
            due_end_ms: due_end,
            history,
            record,
        }))
    }

    /// The instant follow-up is judged at: the node's `follow_up_as_of`
    /// setting (Unix ms; the demo sets its scenario's date) or the clock.
    pub async fn follow_up_now(&self) -> Result<i64> {
        match self.setting("follow_up_as_of").await? {
            Some(v) => v
                .parse()
                .map_err(|_| StoreError::Corrupt(format!("follow_up_as_of {v:?}"))),
            None => Ok(now_ms()),
        }
    }

    /// These commitments (read by `p`) with their computed fields, in
    /// order; `None` for one whose meeting `p` may not read.
    pub async fn commitment_views(
        &self,
        p: &Principal,
        records: Vec<Record<Commitment>>,
        now: i64,
    ) -> Result<Vec<Option<CommitmentView>>> {
        let mut meetings = MeetingCache::default();
        let mut out = Vec::with_capacity(records.len());
        for r in records {
            out.push(self.view_of(p, r, &mut meetings, now).await?);
        }
        Ok(out)
    }

    /// One commitment with its computed fields, if `p` may read it.
    pub async fn commitment_view(
        &self,
        p: &Principal,
        id: &str,
        now: i64,
    ) -> Result<CommitmentView> {
        let record = self.get_record::<CommitmentKind>(p, id).await?;
        self.view_of(p, record, &mut MeetingCache::default(), now)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// The commitments `p` may read, with their progress for `p` and
    /// whether each is overdue at `now`: overdue first, then by due date.
    pub async fn commitment_board(
        &self,
        p: &Principal,
        filter: &BoardFilter,
        now: i64,
    ) -> Result<Vec<CommitmentView>> {
        let rf = RecordFilter {
            origin: None,
            refers_to: filter
                .meeting
                .clone()
                .map(|m| (RefTarget::Meeting, m))
                .or_else(|| filter.owner.clone().map(|o| (RefTarget::Member, o)))
                .or_else(|| {
                    filter
                        .line_of_effort
                        .clone()
                        .map(|l| (RefTarget::LineOfEffort, l))
                }),
        };
        let records = all_pages(|cursor| {
            let rf = rf.clone();
            async move {
                self.list_records::<CommitmentKind>(p, &rf, cursor.as_deref(), PAGE)
                    .await
            }
        })
        .await?;
        let mut meetings = MeetingCache::default();
        let mut out = Vec::with_capacity(records.len());
        for r in records {
            let keep = filter.owner.as_ref().is_none_or(|o| &r.body.owner == o)
                && filter
                    .line_of_effort
                    .as_ref()
                    .is_none_or(|l| r.body.line_of_effort.as_ref() == Some(l));
            if !keep {
                continue;
            }
            if let Some(v) = self.view_of(p, r, &mut meetings, now).await? {
                if !filter.overdue_only || v.overdue {
                    out.push(v);
                }
            }
        }
        out.sort_by(|a, b| {
            b.overdue
                .cmp(&a.overdue)
                .then(
                    a.record
                        .body
                        .state
                        .is_open()
                        .cmp(&b.record.body.state.is_open())
                        .reverse(),
                )
                .then(a.due_end_ms.cmp(&b.due_end_ms))
                .then(a.record.id.cmp(&b.record.id))
        });
        Ok(out)
    }

    /// Carries the open commitments of the last meeting of `into`'s group
    /// (or of `from`, which must be of the same group and earlier) over to
    /// `into`: a new agenda item follows them up, and each commitment notes
    /// that `into` discussed it. Commitments are carried when they are
    /// records of the caller's member (the secretariat's, which records
    /// them); run again, it carries only what is not carried yet.
    pub async fn carry_over(
        &self,
        p: &Principal,
        into: &str,
        from: Option<&str>,
    ) -> Result<CarryOver> {
        let target = self.fetch_record::<MeetingKind>(p, into).await?;
        let source = match from {
            Some(f) => self.fetch_record::<MeetingKind>(p, f).await?,
            None => self
                .list_meetings(p)
                .await?
                .into_iter()
                .filter(|m| m.id != target.id && m.body.group == target.body.group)
                .find(|m| m.body.starts < target.body.starts)
                .ok_or_else(|| {
                    invalid(
                        "from",
                        "there is no earlier meeting of this group to carry items over from",
                    )
                })?,
        };
        if source.id == target.id {
            return Err(invalid(
                "from",
                "a meeting does not carry items over to itself",
            ));
        }
        if source.body.group != target.body.group {
            return Err(invalid(
                "from",
                format!(
                    "{} is a meeting of {}, {} of {}: items are carried over within one group",
                    source.body.title,
                    source
                        .body
                        .group
                        .as_deref()
                        .unwrap_or("the whole coalition"),
                    target.body.title,
                    target
                        .body
                        .group
                        .as_deref()
                        .unwrap_or("the whole coalition"),
                ),
            ));
        }
        if source.body.starts >= target.body.starts {
            return Err(invalid(
                "from",
                format!(
                    "{} does not come before {}: items are carried over to a later meeting",
                    source.body.title, target.body.title
                ),
            ));
        }
        if target.origin != p.member.as_str() {
            return Err(StoreError::Forbidden(format!(
                "the meeting is a record of {}: its users carry items over to it",
                target.origin
            )));
        }
        let discussed_at =
            |c: &Commitment, m: &str| c.meeting == m || c.discussed.iter().any(|d| d.meeting == m);
        let open: Vec<Record<Commitment>> = all_pages(|cursor| {
            let rf = RecordFilter {
                origin: Some(p.member.clone()),
                refers_to: Some((RefTarget::Meeting, source.id.clone())),
            };
            async move {
                self.list_records::<CommitmentKind>(p, &rf, cursor.as_deref(), PAGE)
                    .await
            }
        })
        .await?
        .into_iter()
        .filter(|c| c.body.state.is_open() && discussed_at(&c.body, &source.id))
        .collect();
        // The follow-up item: the existing one if a run before made it.
        // Its title names no meeting: a reader of this meeting may not read
        // the earlier one (its reference is then taken out as well).
        let mut meeting = self
            .fetch_record_whole::<MeetingKind>(p, &target.id)
            .await?
            .body;
        let number = match meeting
            .agenda
            .iter()
            .find(|i| i.follows_up.as_deref() == Some(source.id.as_str()))
        {
            Some(i) => i.number,
            None => {
                meeting.agenda.push(coalesce_domain::meetings::AgendaItem {
                    number: 0,
                    title: "Follow-up of the open items of the group's previous meeting".into(),
                    outcomes: Vec::new(),
                    follows_up: Some(source.id.clone()),
                });
                let m = self
                    .change_record::<MeetingKind>(
                        p,
                        &target.id,
                        meeting,
                        target.marking.clone(),
                        Some(target.version),
                    )
                    .await?;
                m.body.agenda.last().map_or(0, |i| i.number)
            }
        };
        let mut carried = Vec::new();
        for c in open {
            if discussed_at(&c.body, &target.id) {
                continue;
            }
            // Whole, not as shown: parts the carrier may not read stay.
            let mut body = self
                .fetch_record_whole::<CommitmentKind>(p, &c.id)
                .await?
                .body;
            body.discussed.push(Discussion {
                meeting: target.id.clone(),
                agenda_item: number,
            });
            self.change_record::<CommitmentKind>(
                p,
                &c.id,
                body,
                c.marking.clone(),
                Some(c.version),
            )
            .await?;
            carried.push(c.id);
        }
        Ok(CarryOver {
            from: source.id,
            agenda_item: number,
            carried,
        })
    }

    /// Sends the notices due at `now` (idempotent: each is sent once per
    /// user, commitment, kind and due date): reminders at D-7 and D-1 to
    /// the users of the owning member, and an escalation to the users of
    /// the chair of the latest meeting that discussed it when it becomes
    /// overdue. A user is sent a notice only about a commitment it may
    /// read, and "overdue" is judged on the progress that user's member
    /// reads. Returns how many notices were sent.
    pub async fn send_commitment_notices(&self, now: i64) -> Result<usize> {
        let rows = sqlx::query(
            "SELECT r.id, r.body FROM records r WHERE r.kind = 'commitment' AND r.status = 'live'",
        )
        .fetch_all(self.pool())
        .await?;
        let meetings: BTreeMap<String, Meeting> = sqlx::query(
            "SELECT r.id, r.body FROM records r WHERE r.kind = 'meeting' AND r.status = 'live'",
        )
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            let body: String = r.try_get("body")?;
            let m: Meeting =
                serde_json::from_str(&body).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            Ok((r.try_get::<String, _>("id")?, m))
        })
        .collect::<Result<_>>()?;
        let mut sent = 0;
        for row in rows {
            let id: String = row.try_get("id")?;
            let body: String = row.try_get("body")?;
            let c: Commitment =
                serde_json::from_str(&body).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            if !c.state.is_open() {
                continue;
            }
            let Some(origin) = meetings.get(&c.meeting) else {
                continue;
            };
            let tz = &origin.time_zone;
            let mut wanted: Vec<(NoticeKind, String)> = reminders_due(&c.due, tz, now)?
                .into_iter()
                .map(|k| (k, c.owner.clone()))
                .collect();
            if now >= due_end_ms(&c.due, tz)? {
                let last = c
                    .discussed
                    .iter()
                    .rev()
                    .find_map(|d| meetings.get(&d.meeting))
                    .unwrap_or(origin);
                wanted.push((NoticeKind::Overdue, last.chair().to_string()));
            }
            for (kind, member) in wanted {
                sent += self.notify_member(&id, &c, kind, &member, now).await?;
            }
        }
        Ok(sent)
    }

    /// Sends one notice to the users of `member` who may read the
    /// commitment and have not had it.
    async fn notify_member(
        &self,
        id: &str,
        c: &Commitment,
        kind: NoticeKind,
        member: &str,
        now: i64,
    ) -> Result<usize> {
        let sql = format!(
            "SELECT u.id, u.username, u.member_code, u.role FROM users u \
             WHERE u.member_code = $1 AND u.disabled = 0 \
             AND EXISTS (SELECT 1 FROM records r WHERE r.id = $2 AND r.status = 'live' AND {}) \
             AND NOT EXISTS (SELECT 1 FROM commitment_notices n WHERE n.user_id = u.id \
                 AND n.commitment_id = $2 AND n.notice = $3 AND n.due = $4)",
            readable("r.id", "$1")
        );
        let users = sqlx::query(&sql)
            .bind(member)
            .bind(id)
            .bind(kind.as_str())
            .bind(&c.due)
            .fetch_all(self.pool())
            .await?;
        if users.is_empty() {
            return Ok(0);
        }
        if kind == NoticeKind::Overdue {
            // Overdue as this member reads it: a part it may not read
            // counts in no sum (all users of a member read alike).
            let reader = crate::accounts::principal_from_row(&users[0])?;
            match self.commitment_view(&reader, id, now).await {
                Ok(v) if v.overdue => {}
                Ok(_) | Err(StoreError::NotFound) => return Ok(0),
                Err(e) => return Err(e),
            }
        }
        let mut w = self.begin_write().await?;
        let mut n = 0;
        for u in &users {
            let user_id: String = u.try_get("id")?;
            n += sqlx::query(
                "INSERT INTO commitment_notices (id, user_id, commitment_id, notice, due, sent_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (user_id, commitment_id, notice, due) DO NOTHING",
            )
            .bind(crate::new_id_at(now))
            .bind(&user_id)
            .bind(id)
            .bind(kind.as_str())
            .bind(&c.due)
            .bind(now)
            .execute(&mut *w.tx)
            .await?
            .rows_affected() as usize;
        }
        audit::append(
            &mut w.tx,
            None,
            "commitment.notify",
            id,
            &serde_json::json!({ "notice": kind.as_str(), "member": member, "users": n }),
        )
        .await?;
        w.commit().await?;
        Ok(n)
    }

    /// The notices sent to `p`, newest first, about commitments `p` may
    /// still read (a narrowed one leaves the digest).
    pub async fn digest(&self, p: &Principal, now: i64) -> Result<Vec<Notice>> {
        let rows = sqlx::query(
            "SELECT id, commitment_id, notice, due, sent_at, read_at FROM commitment_notices \
             WHERE user_id = $1 ORDER BY sent_at DESC, id DESC LIMIT 500",
        )
        .bind(&p.user_id)
        .fetch_all(self.pool())
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let cid: String = r.try_get("commitment_id")?;
            let commitment = match self.commitment_view(p, &cid, now).await {
                Ok(v) => v,
                Err(StoreError::NotFound) => continue,
                Err(e) => return Err(e),
            };
            let notice: String = r.try_get("notice")?;
            out.push(Notice {
                id: r.try_get("id")?,
                notice: NoticeKind::parse(&notice)
                    .ok_or_else(|| StoreError::Corrupt(format!("notice kind {notice}")))?,
                due: r.try_get("due")?,
                sent_at_ms: r.try_get("sent_at")?,
                read: r.try_get::<Option<i64>, _>("read_at")?.is_some(),
                commitment,
            });
        }
        Ok(out)
    }

    /// Marks `p`'s notices read; returns how many were unread.
    pub async fn mark_notices_read(&self, p: &Principal) -> Result<u64> {
        let mut w = self.begin_write().await?;
        let n = sqlx::query(
            "UPDATE commitment_notices SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL",
        )
        .bind(&p.user_id)
        .bind(now_ms())
        .execute(&mut *w.tx)
        .await?
        .rows_affected();
        w.commit().await?;
        Ok(n)
    }

    /// A new calendar feed token for `p` (its earlier ones stay valid until
    /// revoked). Only its hash is kept; the token is shown once.
    pub async fn create_calendar_token(&self, p: &Principal) -> Result<String> {
        let (token, _) = crate::accounts::new_token();
        let mut w = self.begin_write().await?;
        sqlx::query("INSERT INTO calendar_tokens (hash, user_id, created_at) VALUES ($1, $2, $3)")
            .bind(token_hash(&token))
            .bind(&p.user_id)
            .bind(now_ms())
            .execute(&mut *w.tx)
            .await?;
        audit::append(
            &mut w.tx,
            Some(p),
            "calendar_token.create",
            p.username.as_str(),
            &serde_json::json!({}),
        )
        .await?;
        w.commit().await?;
        Ok(token)
    }

    /// Revokes every calendar token of `p`; returns how many were live.
    pub async fn revoke_calendar_tokens(&self, p: &Principal) -> Result<u64> {
        let mut w = self.begin_write().await?;
        let n = sqlx::query(
            "UPDATE calendar_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL",
        )
        .bind(&p.user_id)
        .bind(now_ms())
        .execute(&mut *w.tx)
        .await?
        .rows_affected();
        audit::append(
            &mut w.tx,
            Some(p),
            "calendar_token.revoke",
            p.username.as_str(),
            &serde_json::json!({ "revoked": n }),
        )
        .await?;
        w.commit().await?;
        Ok(n)
    }

    /// Whose calendar a token opens.
    pub async fn calendar_token(&self, token: &str) -> Result<CalendarToken> {
        let row = sqlx::query(
            "SELECT u.id, u.username, u.member_code, u.role, t.revoked_at, u.disabled \
             FROM calendar_tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = $1",
        )
        .bind(token_hash(token))
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else {
            return Ok(CalendarToken::Unknown);
        };
        let revoked: Option<i64> = row.try_get("revoked_at")?;
        let disabled: i64 = row.try_get("disabled")?;
        if revoked.is_some() || disabled != 0 {
            return Ok(CalendarToken::Revoked);
        }
        Ok(CalendarToken::Valid(crate::accounts::principal_from_row(
            &row,
        )?))
    }
}

/// Checks a commitment against its meeting in the writing transaction:
/// due no earlier than the meeting's first day (in its time zone), and an
/// agenda item the meeting has.
pub(crate) async fn check_commitment(conn: &mut sqlx::AnyConnection, c: &Commitment) -> Result<()> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT body FROM records WHERE id = $1 AND kind = 'meeting' AND status = 'live'",
    )
    .bind(&c.meeting)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((body,)) = row else {
        return Err(invalid(
            "meeting",
            format!("there is no meeting {:?}", c.meeting),
        ));
    };
    let m: Meeting = serde_json::from_str(&body).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let first_day = coalesce_domain::meetings::local_time(&m.starts, &m.time_zone);
    let first_day = first_day.get(..10).unwrap_or_default();
    if c.due.as_str() < first_day {
        return Err(invalid(
            "due",
            format!(
                "due {} is before the meeting ({first_day}) that made the commitment",
                c.due
            ),
        ));
    }
    if let Some(n) = c.agenda_item {
        if n == 0 || n as usize > m.agenda.len() {
            return Err(invalid(
                "agenda_item",
                format!(
                    "the meeting has no agenda item {n} ({} items)",
                    m.agenda.len()
                ),
            ));
        }
    }
    Ok(())
}
