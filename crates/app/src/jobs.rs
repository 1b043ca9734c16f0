//! Long work as background jobs (issue 20): an allocation run is started,
//! runs off the async workers, tells how far it is, and can be cancelled —
//! by its member's users, by its client going away, by the node shutting
//! down. Jobs live in the serving process: their outcome (the run) is in
//! the database, their progress and history (the last [`KEPT_FINISHED`]
//! finished jobs) are not, and a restart forgets them.
//!
//! A job is its member's: the users of the member that started it see it
//! and may cancel it; nobody else learns that it exists. The node's own
//! work (the rescreening after a sanctions-list update) is a *node job*
//! (member [`NODE`]): every user sees it, since it names no record and no
//! member's data; nobody cancels it but the node's shutdown.

use crate::wire::rfc3339;
use crate::ApiError;
use axum::http::StatusCode;
use coalesce_store::Principal;
use serde::Serialize;
use std::collections::VecDeque;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::watch;
use utoipa::ToSchema;

/// Milliseconds since `t`, for a job's phases.
pub fn ms_since(t: std::time::Instant) -> u64 {
    t.elapsed().as_millis().try_into().unwrap_or(u64::MAX)
}

/// The `member` of a node job.
pub const NODE: &str = "node";

/// How many finished jobs a node remembers (the oldest are forgotten).
pub const KEPT_FINISHED: usize = 100;

/// Where a job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum JobStatus {
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

/// One finished phase of a job and how long it took.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Phase {
    pub name: String,
    pub ms: u64,
}

/// What a job has done so far, as its readers see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct JobOut {
    pub id: String,
    /// `allocation`.
    pub kind: String,
    pub member: String,
    pub started_by: String,
    pub started_at: String,
    pub status: JobStatus,
    /// The phase it is in (`loading`, `pairs`, `solving`, `saving` for an
    /// allocation) while running.
    pub stage: String,
    /// Progress within the stage: `done` of `total` (no `total` when the
    /// work's size is not known ahead, as the solver's pivots).
    pub done: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<u64>,
    /// A cancellation was asked and the job is stopping.
    pub cancel_requested: bool,
    /// The phases finished, with their durations.
    pub phases: Vec<Phase>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<String>,
    /// What it made, when it succeeded (an allocation run's path).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    /// Why it failed or stopped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<crate::error::Problem>,
}

#[derive(Debug, Clone)]
struct State {
    status: JobStatus,
    stage: String,
    done: u64,
    total: Option<u64>,
    phases: Vec<Phase>,
    finished_ms: Option<i64>,
    result: Option<String>,
    error: Option<ApiError>,
}

/// One job: who started it, its stop flag, and its state (a watch channel,
/// so that a waiting request wakes when it ends).
pub struct Job {
    pub id: String,
    pub kind: &'static str,
    pub member: String,
    started_by: String,
    started_ms: i64,
    stop: AtomicBool,
    state: watch::Sender<State>,
}

/// What a job's work holds: it says how far it is and asks whether to stop.
#[derive(Clone)]
pub struct JobHandle(Arc<Job>);

impl JobHandle {
    /// Whether the job was asked to stop (its member, its client gone, shutdown).
    pub fn stopped(&self) -> bool {
        self.0.stop.load(Ordering::Relaxed)
    }

    /// The job is in `stage`, `done` of `total` units through it.
    pub fn progress(&self, stage: &str, done: u64, total: Option<u64>) {
        self.0.state.send_if_modified(|s| {
            let changed = s.stage != stage || s.done != done || s.total != total;
            if s.stage != stage {
                s.stage = stage.to_string();
            }
            s.done = done;
            s.total = total;
            changed
        });
    }

    /// A phase ended after `ms` milliseconds.
    pub fn phase(&self, name: &str, ms: u64) {
        self.0.state.send_modify(|s| {
            s.phases.push(Phase {
                name: name.to_string(),
                ms,
            })
        });
    }

    /// The error a job ends with when it stopped because it was asked to.
    pub fn cancelled() -> ApiError {
        ApiError::new(
            StatusCode::CONFLICT,
            "cancelled",
            "the job was cancelled before it ended; nothing was kept",
        )
    }

    /// A handle for work run outside any registry (nobody watches or
    /// cancels it).
    pub fn detached(kind: &'static str, p: &Principal) -> JobHandle {
        JobHandle(Arc::new(Job::new(kind, p)))
    }

    /// [`JobHandle::detached`] for the node's own work.
    pub fn detached_for_node(kind: &'static str) -> JobHandle {
        JobHandle(Arc::new(Job::started_by(kind, NODE, NODE)))
    }
}

impl Job {
    fn new(kind: &'static str, p: &Principal) -> Job {
        Job::started_by(kind, p.member.as_str(), p.username.as_str())
    }

    fn started_by(kind: &'static str, member: &str, username: &str) -> Job {
        let (state, _) = watch::channel(State {
            status: JobStatus::Running,
            stage: "starting".into(),
            done: 0,
            total: None,
            phases: Vec::new(),
            finished_ms: None,
            result: None,
            error: None,
        });
        Job {
            id: uuid::Uuid::now_v7().to_string(),
            kind,
            member: member.to_string(),
            started_by: username.to_string(),
            started_ms: coalesce_store::now_ms(),
            stop: AtomicBool::new(false),
            state,
        }
    }

    fn out(&self) -> JobOut {
        let s = self.state.borrow();
        JobOut {
            id: self.id.clone(),
            kind: self.kind.to_string(),
            member: self.member.clone(),
            started_by: self.started_by.clone(),
            started_at: rfc3339(self.started_ms),
            status: s.status,
            stage: s.stage.clone(),
            done: s.done,
            total: s.total,
            cancel_requested: self.stop.load(Ordering::Relaxed),
            phases: s.phases.clone(),
            finished_at: s.finished_ms.map(rfc3339),
            result: s.result.clone(),
            error: s.error.as_ref().map(ApiError::problem),
        }
    }

    fn running(&self) -> bool {
        self.state.borrow().status == JobStatus::Running
    }

    /// Whether `p` sees the job: its member's, or the node's.
    fn seen_by(&self, p: &Principal) -> bool {
        self.member == p.member.as_str() || self.member == NODE
    }
}

/// The node's jobs, newest last.
#[derive(Default)]
pub struct Jobs {
    jobs: Mutex<VecDeque<Arc<Job>>>,
    /// Set at shutdown: no job starts any more.
    closed: AtomicBool,
}

/// Cancels its job when dropped before the job ended: the request that
/// waits for a job holds one, so a client that goes away stops the work.
pub struct CancelOnDrop(Option<Arc<Job>>);

impl CancelOnDrop {
    /// The job ended: dropping no longer cancels anything.
    pub fn disarm(mut self) {
        self.0 = None;
    }
}

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        if let Some(job) = self.0.take() {
            if job.running() {
                tracing::info!(job = %job.id, "the client went away: cancelling the job");
                job.stop.store(true, Ordering::Relaxed);
            }
        }
    }
}

impl Jobs {
    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<Arc<Job>>> {
        // A panic while the list was held leaves it whole: keep using it.
        self.jobs.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Starts `work` as a job of `kind` for `p`'s member, unless one of the
    /// same kind is already running for that member (409 naming it).
    /// `work` returns the path of what it made.
    pub fn start<F, Fut>(
        &self,
        kind: &'static str,
        p: &Principal,
        work: F,
    ) -> Result<JobOut, ApiError>
    where
        F: FnOnce(JobHandle) -> Fut,
        Fut: Future<Output = Result<String, ApiError>> + Send + 'static,
    {
        self.launch(kind, p, 1, work)
    }

    /// As [`Jobs::start`], for work of which a member may run up to
    /// `at_once` at a time (imports of different files).
    pub fn start_another<F, Fut>(
        &self,
        kind: &'static str,
        p: &Principal,
        at_once: usize,
        work: F,
    ) -> Result<JobOut, ApiError>
    where
        F: FnOnce(JobHandle) -> Fut,
        Fut: Future<Output = Result<String, ApiError>> + Send + 'static,
    {
        self.launch(kind, p, at_once, work)
    }

    /// Starts the node's own `work` as a node job (see the module), unless
    /// one of the same kind is running (409 naming it).
    pub fn start_for_node<F, Fut>(&self, kind: &'static str, work: F) -> Result<JobOut, ApiError>
    where
        F: FnOnce(JobHandle) -> Fut,
        Fut: Future<Output = Result<String, ApiError>> + Send + 'static,
    {
        self.launch_job(Job::started_by(kind, NODE, NODE), 1, work)
    }

    fn launch<F, Fut>(
        &self,
        kind: &'static str,
        p: &Principal,
        at_once: usize,
        work: F,
    ) -> Result<JobOut, ApiError>
    where
        F: FnOnce(JobHandle) -> Fut,
        Fut: Future<Output = Result<String, ApiError>> + Send + 'static,
    {
        self.launch_job(Job::new(kind, p), at_once, work)
    }

    /// Registers `new` and runs `work` for it, unless `at_once` jobs of its
    /// kind and member are running already.
    fn launch_job<F, Fut>(&self, new: Job, at_once: usize, work: F) -> Result<JobOut, ApiError>
    where
        F: FnOnce(JobHandle) -> Fut,
        Fut: Future<Output = Result<String, ApiError>> + Send + 'static,
    {
        let kind = new.kind;
        if self.closed.load(Ordering::Relaxed) {
            return Err(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "shutting_down",
                "the node is shutting down; start the job again once it is back",
            ));
        }
        let job = {
            let mut jobs = self.lock();
            let same: Vec<&Arc<Job>> = jobs
                .iter()
                .filter(|j| j.kind == kind && j.member == new.member && j.running())
                .collect();
            if same.len() >= at_once {
                let names: Vec<String> = same
                    .iter()
                    .map(|j| format!("/api/v1/jobs/{}", j.id))
                    .collect();
                return Err(ApiError::new(
                    StatusCode::CONFLICT,
                    "job_running",
                    format!(
                        "{} {kind} job(s) of {} already running, as many as may run at once: {} (wait for one or cancel it)",
                        same.len(),
                        new.member,
                        names.join(", ")
                    ),
                ));
            }
            let job = Arc::new(new);
            jobs.push_back(job.clone());
            // Forget the oldest finished jobs beyond the kept number.
            let finished = jobs.iter().filter(|j| !j.running()).count();
            let mut excess = finished.saturating_sub(KEPT_FINISHED);
            jobs.retain(|j| {
                if excess > 0 && !j.running() {
                    excess -= 1;
                    false
                } else {
                    true
                }
            });
            job
        };
        let handle = JobHandle(job.clone());
        let fut = work(handle);
        tracing::info!(job = %job.id, kind, member = %job.member, "job started");
        let done = job.clone();
        tokio::spawn(async move {
            // The work in a task of its own: a panic in it ends the job as
            // failed instead of leaving it running for good.
            let outcome = match tokio::spawn(fut).await {
                Ok(outcome) => outcome,
                Err(e) => Err(ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    format!("the job stopped on an internal error: {e}"),
                )),
            };
            let stopped = done.stop.load(Ordering::Relaxed);
            done.state.send_modify(|s| {
                s.finished_ms = Some(coalesce_store::now_ms());
                match outcome {
                    Ok(result) => {
                        s.status = JobStatus::Succeeded;
                        s.result = Some(result);
                    }
                    Err(e) => {
                        s.status = if stopped && e.code == "cancelled" {
                            JobStatus::Cancelled
                        } else {
                            JobStatus::Failed
                        };
                        s.error = Some(e);
                    }
                }
            });
            let s = done.state.borrow().status;
            tracing::info!(job = %done.id, status = ?s, "job ended");
        });
        Ok(job.out())
    }

    fn find(&self, p: &Principal, id: &str) -> Result<Arc<Job>, ApiError> {
        self.lock()
            .iter()
            .find(|j| j.id == id && j.seen_by(p))
            .cloned()
            .ok_or_else(|| {
                ApiError::not_found("no such job (jobs are forgotten when the node restarts)")
            })
    }

    /// A job of `p`'s member, or a node job.
    pub fn get(&self, p: &Principal, id: &str) -> Result<JobOut, ApiError> {
        Ok(self.find(p, id)?.out())
    }

    /// The jobs of `p`'s member and the node's, newest first.
    pub fn list(&self, p: &Principal) -> Vec<JobOut> {
        self.lock()
            .iter()
            .rev()
            .filter(|j| j.seen_by(p))
            .map(|j| j.out())
            .collect()
    }

    /// Asks a job of `p`'s member to stop; a job already ended stays as it
    /// ended.
    pub fn cancel(&self, p: &Principal, id: &str) -> Result<JobOut, ApiError> {
        let job = self.find(p, id)?;
        if job.member == NODE {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "node_job",
                "a node job is the node's own work: it stops only when the node stops (and resumes at its next start)",
            ));
        }
        if job.running() {
            job.stop.store(true, Ordering::Relaxed);
            tracing::info!(job = %job.id, by = %p.username, "job cancellation asked");
        }
        Ok(job.out())
    }

    /// A guard that cancels job `id` if dropped before the job ended.
    pub fn cancel_on_drop(&self, id: &str) -> CancelOnDrop {
        CancelOnDrop(self.lock().iter().find(|j| j.id == id).cloned())
    }

    /// Waits for job `id` to end and gives what it made, or its error.
    pub async fn wait(&self, id: &str) -> Result<String, ApiError> {
        let Some(job) = self.lock().iter().find(|j| j.id == id).cloned() else {
            return Err(ApiError::not_found("no such job"));
        };
        let mut rx = job.state.subscribe();
        let ended = rx
            .wait_for(|s| s.status != JobStatus::Running)
            .await
            .map_err(|_| {
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "the job vanished",
                )
            })?;
        match (&ended.result, &ended.error) {
            (Some(r), _) => Ok(r.clone()),
            (None, Some(e)) => Err(e.clone()),
            (None, None) => Err(ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "the job ended without an outcome",
            )),
        }
    }

    /// How many jobs are running.
    pub fn running(&self) -> usize {
        self.lock().iter().filter(|j| j.running()).count()
    }

    /// Shutdown: no job starts any more, every running one is asked to
    /// stop; waits up to `deadline` for them to end.
    pub async fn stop_all(&self, deadline: std::time::Duration) {
        self.closed.store(true, Ordering::Relaxed);
        let running: Vec<Arc<Job>> = self
            .lock()
            .iter()
            .filter(|j| j.running())
            .cloned()
            .collect();
        for j in &running {
            j.stop.store(true, Ordering::Relaxed);
        }
        if running.is_empty() {
            return;
        }
        tracing::info!("stopping {} running job(s)", running.len());
        let all = async {
            for j in &running {
                let mut rx = j.state.subscribe();
                let _ = rx.wait_for(|s| s.status != JobStatus::Running).await;
            }
        };
        if tokio::time::timeout(deadline, all).await.is_err() {
            tracing::warn!("jobs still running after {} s", deadline.as_secs_f64());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use coalesce_domain::{MemberCode, Role, Username};

    fn principal(member: &str) -> Principal {
        Principal {
            user_id: format!("u-{member}"),
            username: Username::parse(&member.to_lowercase()).expect("username"),
            member: MemberCode::parse(member).expect("member"),
            role: Role::Coordinator,
        }
    }

    /// Work that runs until it is asked to stop, saying how far it is.
    async fn until_stopped(job: JobHandle) -> Result<String, ApiError> {
        let mut n = 0;
        while !job.stopped() {
            n += 1;
            job.progress("spinning", n, None);
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        }
        Err(JobHandle::cancelled())
    }

    async fn ended(jobs: &Jobs, p: &Principal, id: &str) -> JobOut {
        let _ = jobs.wait(id).await;
        jobs.get(p, id).expect("job")
    }

    /// A job whose work panics ends failed and frees its slot; a node job
    /// is seen by every member and cancelled by none.
    #[tokio::test]
    async fn a_panicking_job_fails_and_a_node_job_is_everyones_to_see() {
        let jobs = Jobs::default();
        let usa = principal("USA");
        let job = jobs
            .start("import", &usa, |_job| async {
                if principal("USA").member.as_str() == "USA" {
                    panic!("a bug in the work");
                }
                Ok(String::new())
            })
            .expect("started");
        let out = ended(&jobs, &usa, &job.id).await;
        assert_eq!(out.status, JobStatus::Failed, "{out:?}");
        assert!(out.error.expect("error").detail.contains("internal error"));
        jobs.start("import", &usa, until_stopped)
            .expect("the slot is free again");

        let node = jobs
            .start_for_node("rescreen", until_stopped)
            .expect("started");
        assert_eq!(node.member, NODE);
        let gbr = principal("GBR");
        assert_eq!(jobs.get(&gbr, &node.id).expect("seen").kind, "rescreen");
        assert!(jobs.list(&usa).iter().any(|j| j.id == node.id));
        let refused = jobs.cancel(&gbr, &node.id).expect_err("403");
        assert_eq!(
            (refused.status, refused.code),
            (StatusCode::FORBIDDEN, "node_job")
        );
        jobs.stop_all(std::time::Duration::from_secs(5)).await;
        assert_eq!(
            jobs.get(&gbr, &node.id).expect("seen").status,
            JobStatus::Cancelled
        );
    }

    #[tokio::test]
    async fn a_cancelled_job_ends_cancelled_and_a_second_of_its_kind_waits_for_it() {
        let jobs = Jobs::default();
        let usa = principal("USA");
        let job = jobs
            .start("allocation", &usa, until_stopped)
            .expect("started");
        // One job of a kind per member at a time; another member may run one.
        let again = jobs
            .start("allocation", &usa, until_stopped)
            .expect_err("409");
        assert_eq!(
            (again.status, again.code),
            (StatusCode::CONFLICT, "job_running")
        );
        assert!(again.detail.contains(&job.id));
        let gbr = principal("GBR");
        let theirs = jobs
            .start("allocation", &gbr, until_stopped)
            .expect("GBR's own");
        // Progress shows while it runs.
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        let now = jobs.get(&usa, &job.id).expect("job");
        assert_eq!(
            (now.status, now.stage.as_str()),
            (JobStatus::Running, "spinning")
        );
        assert!(now.done > 0);
        // Only its member sees or cancels it.
        assert_eq!(
            jobs.get(&gbr, &job.id).expect_err("404").status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            jobs.cancel(&gbr, &job.id).expect_err("404").status,
            StatusCode::NOT_FOUND
        );
        assert!(jobs.cancel(&usa, &job.id).expect("cancel").cancel_requested);
        let out = ended(&jobs, &usa, &job.id).await;
        assert_eq!(out.status, JobStatus::Cancelled);
        assert_eq!(out.error.expect("why").code, "cancelled");
        assert!(out.finished_at.is_some());
        // GBR's job was not touched; USA may start again.
        assert_eq!(
            jobs.get(&gbr, &theirs.id).expect("job").status,
            JobStatus::Running
        );
        let next = jobs.start("allocation", &usa, |_| async { Ok("run-1".to_string()) });
        let next = next.expect("started after the first ended");
        assert_eq!(jobs.wait(&next.id).await.expect("result"), "run-1");
        assert_eq!(jobs.list(&usa).len(), 2);
        assert_eq!(jobs.list(&usa)[0].id, next.id, "newest first");
        jobs.stop_all(std::time::Duration::from_secs(5)).await;
        assert_eq!(jobs.running(), 0);
        assert_eq!(
            ended(&jobs, &gbr, &theirs.id).await.status,
            JobStatus::Cancelled
        );
    }

    #[tokio::test]
    async fn a_waiter_that_goes_away_cancels_its_job_and_a_closed_registry_starts_none() {
        let jobs = Jobs::default();
        let usa = principal("USA");
        let job = jobs
            .start("allocation", &usa, until_stopped)
            .expect("started");
        {
            let guard = jobs.cancel_on_drop(&job.id);
            let waited =
                tokio::time::timeout(std::time::Duration::from_millis(30), jobs.wait(&job.id))
                    .await;
            assert!(waited.is_err(), "still running");
            drop(guard);
        }
        assert_eq!(
            ended(&jobs, &usa, &job.id).await.status,
            JobStatus::Cancelled
        );
        // A guard disarmed once the job ended cancels nothing.
        let done = jobs
            .start("allocation", &usa, |_| async { Ok("run".to_string()) })
            .expect("started");
        let guard = jobs.cancel_on_drop(&done.id);
        jobs.wait(&done.id).await.expect("ok");
        guard.disarm();
        assert_eq!(
            jobs.get(&usa, &done.id).expect("job").status,
            JobStatus::Succeeded
        );
        // A failure keeps its problem.
        let failed = jobs
            .start("allocation", &usa, |_| async {
                Err(ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "too_large",
                    "big",
                ))
            })
            .expect("started");
        let out = ended(&jobs, &usa, &failed.id).await;
        assert_eq!(out.status, JobStatus::Failed);
        assert_eq!(out.error.expect("problem").status, 422);
        jobs.stop_all(std::time::Duration::from_secs(1)).await;
        let refused = jobs
            .start("allocation", &usa, |_| async { Ok(String::new()) })
            .expect_err("closed");
        assert_eq!(refused.code, "shutting_down");
    }

    #[tokio::test]
    async fn only_the_last_finished_jobs_are_kept() {
        let jobs = Jobs::default();
        let usa = principal("USA");
        let mut last = String::new();
        for i in 0..KEPT_FINISHED + 10 {
            let j = jobs
                .start(
                    "allocation",
                    &usa,
                    move |_| async move { Ok(i.to_string()) },
                )
                .expect("started");
            jobs.wait(&j.id).await.expect("ok");
            last = j.id;
        }
        // The next start forgets the oldest beyond the kept number.
        let j = jobs
            .start("allocation", &usa, |_| async { Ok(String::new()) })
            .expect("started");
        jobs.wait(&j.id).await.expect("ok");
        let listed = jobs.list(&usa);
        assert!(listed.len() <= KEPT_FINISHED + 1, "{}", listed.len());
        assert!(listed.iter().any(|x| x.id == last));
    }
}
