//! The audit entries of reads, appended through a queue and committed in
//! groups (issue 20): a read of TLP:AMBER or RED records is answered once
//! its entry is durable — or, when the node is configured with a bound
//! (`coalesce serve` waits at most 20 ms), once that bound has passed while
//! a long write (an import of 100,000 rows) holds the database's one
//! writer. The entry then stays queued and is written, in order, as soon as
//! the writer is free.
//!
//! The trade-off of the bound, stated: a node killed in that window loses
//! the entries of the reads it answered in it (the reads happened; the log
//! does not say so). Writes are never answered before they are durable.
//! Without a bound (the CLI, the tests' stores) every read waits for its
//! entry, as an append in the read's own transaction did before.

use crate::{Result, Store, StoreError};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

/// How many queued entries go into one transaction at most.
const GROUP: usize = 512;

/// One read's entry, and who waits for it.
struct Entry {
    actor: String,
    member: String,
    action: String,
    subject: String,
    detail: serde_json::Value,
    done: oneshot::Sender<std::result::Result<(), String>>,
}

enum Msg {
    Append(Entry),
    /// Answered once every entry queued before it is written.
    Flush(oneshot::Sender<()>),
}

/// The queue of a store (shared by its clones) and its bound.
#[derive(Default)]
pub(crate) struct ReadAudits {
    sender: std::sync::Mutex<Option<mpsc::UnboundedSender<Msg>>>,
    /// Milliseconds a read waits for its entry; 0: until it is durable.
    wait_ms: AtomicU64,
}

impl ReadAudits {
    fn sender(&self, store: &Store) -> mpsc::UnboundedSender<Msg> {
        let mut s = self.sender.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(tx) = s.as_ref().filter(|tx| !tx.is_closed()) {
            return tx.clone();
        }
        let (tx, rx) = mpsc::unbounded_channel();
        // The writer is a clone without this queue: it holds no sender, so
        // the task ends when the last clone of the store is dropped.
        let writer = Store {
            read_audits: std::sync::Arc::default(),
            ..store.clone()
        };
        tokio::spawn(write_groups(writer, rx));
        *s = Some(tx.clone());
        tx
    }
}

/// Appends queued entries, as many as are waiting (up to [`GROUP`]) in one
/// transaction, until every store clone is gone.
async fn write_groups(store: Store, mut rx: mpsc::UnboundedReceiver<Msg>) {
    while let Some(first) = rx.recv().await {
        let mut entries = Vec::new();
        let mut flushes = Vec::new();
        let mut next = Some(first);
        while let Some(msg) = next.take() {
            match msg {
                Msg::Append(e) => entries.push(e),
                Msg::Flush(f) => flushes.push(f),
            }
            if entries.len() < GROUP {
                next = rx.try_recv().ok();
            }
        }
        if !entries.is_empty() {
            let written = append_all(&store, &entries).await;
            if let Err(e) = &written {
                tracing::error!("{} audit entries of reads not written: {e}", entries.len());
            }
            let outcome = written.map_err(|e| e.to_string());
            for e in entries {
                // A read answered after its bound no longer listens.
                let _ = e.done.send(outcome.clone());
            }
        }
        for f in flushes {
            let _ = f.send(());
        }
    }
}

async fn append_all(store: &Store, entries: &[Entry]) -> Result<()> {
    let fields: Vec<_> = entries
        .iter()
        .map(|e| {
            (
                e.actor.as_str(),
                e.member.as_str(),
                e.action.as_str(),
                e.subject.as_str(),
                &e.detail,
            )
        })
        .collect();
    let mut w = store.begin_write().await?;
    crate::audit::append_each(&mut w.tx, &fields).await?;
    w.commit().await
}

impl Store {
    /// How long a read waits for its audit entry to be durable before it is
    /// answered anyway (`None`: until it is durable, the default).
    pub fn set_read_audit_wait(&self, wait: Option<Duration>) {
        let ms = wait.map_or(0, |d| d.as_millis().clamp(1, u128::from(u64::MAX)) as u64);
        self.read_audits.wait_ms.store(ms, Ordering::Relaxed);
    }

    /// Appends the audit entry of a read through the queue; see the module.
    pub(crate) async fn audit_read(
        &self,
        actor: &str,
        member: &str,
        action: &str,
        subject: &str,
        detail: serde_json::Value,
    ) -> Result<()> {
        let (done, written) = oneshot::channel();
        let entry = Entry {
            actor: actor.to_string(),
            member: member.to_string(),
            action: action.to_string(),
            subject: subject.to_string(),
            detail,
            done,
        };
        self.read_audits
            .sender(self)
            .send(Msg::Append(entry))
            .map_err(|_| StoreError::Unavailable("the audit log's writer has stopped".into()))?;
        let outcome = match self.read_audits.wait_ms.load(Ordering::Relaxed) {
            0 => written.await,
            ms => match tokio::time::timeout(Duration::from_millis(ms), written).await {
                Ok(outcome) => outcome,
                Err(_) => {
                    tracing::debug!(
                        "a read answered before its audit entry was written (writer busy)"
                    );
                    return Ok(());
                }
            },
        };
        match outcome {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(StoreError::Unavailable(format!(
                "the read's audit entry was not written: {e}"
            ))),
            Err(_) => Err(StoreError::Unavailable(
                "the audit log's writer has stopped".into(),
            )),
        }
    }

    /// Waits until every read's audit entry queued so far is written (the
    /// server's shutdown, a backup).
    pub async fn flush_read_audits(&self) {
        let sender = self
            .read_audits
            .sender
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        if let Some(tx) = sender {
            let (done, flushed) = oneshot::channel();
            if tx.send(Msg::Flush(done)).is_ok() {
                let _ = flushed.await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{fresh_store, seed_small, SEED_PASSWORD};
    use crate::Store;
    use coalesce_domain::note::NoteDraft;
    use coalesce_domain::Marking;
    use std::time::Duration;

    async fn amber_note(s: &Store) -> (crate::Principal, String) {
        let gbr = s
            .authenticate("gbr", SEED_PASSWORD, "test")
            .await
            .expect("auth")
            .expect("user");
        let draft = NoteDraft::parse(
            "Amber",
            "body",
            Marking::parse("AMBER", &["GBR".to_string()]).expect("marking"),
            None,
        )
        .expect("draft");
        let note = s.create_note(&gbr, &draft).await.expect("note");
        (gbr, note.id)
    }

    async fn reads_of(s: &Store, id: &str) -> usize {
        s.audit_entries(None, 1_000)
            .await
            .expect("entries")
            .iter()
            .filter(|e| e.subject == id && e.action.ends_with(".read"))
            .count()
    }

    #[tokio::test]
    async fn with_a_bound_a_read_is_answered_while_a_writer_holds_the_log_and_its_entry_follows() {
        let s = fresh_store().await.expect("store");
        seed_small(&s).await.expect("seed");
        let (gbr, id) = amber_note(&s).await;
        s.set_read_audit_wait(Some(Duration::from_millis(20)));
        // A long write holds the one writer for the whole read.
        let held = s.begin_write().await.expect("writer");
        let read = tokio::time::timeout(Duration::from_secs(30), s.get_note(&gbr, &id))
            .await
            .expect("answered while the writer is held")
            .expect("read");
        assert_eq!(read.id, id);
        assert_eq!(reads_of(&s, &id).await, 0, "not yet written");
        drop(held);
        s.flush_read_audits().await;
        assert_eq!(
            reads_of(&s, &id).await,
            1,
            "written once the writer is free"
        );
        assert!(s.verify_audit().await.expect("verify").is_ok());
    }

    #[tokio::test]
    async fn without_a_bound_a_read_waits_until_its_entry_is_durable() {
        let s = fresh_store().await.expect("store");
        seed_small(&s).await.expect("seed");
        let (gbr, id) = amber_note(&s).await;
        let held = s.begin_write().await.expect("writer");
        let reader = {
            let (s, gbr, id) = (s.clone(), gbr.clone(), id.clone());
            tokio::spawn(async move { s.get_note(&gbr, &id).await.map(|n| n.id) })
        };
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert!(
            !reader.is_finished(),
            "answered before its entry was written"
        );
        drop(held);
        assert_eq!(reader.await.expect("join").expect("read"), id);
        assert_eq!(reads_of(&s, &id).await, 1);
        // Many reads at once share transactions and all get their entry.
        let mut all = Vec::new();
        for _ in 0..50 {
            let (s, gbr, id) = (s.clone(), gbr.clone(), id.clone());
            all.push(tokio::spawn(async move { s.get_note(&gbr, &id).await }));
        }
        for r in all {
            r.await.expect("join").expect("read");
        }
        assert_eq!(reads_of(&s, &id).await, 51);
        assert!(s.verify_audit().await.expect("verify").is_ok());
    }
}
