//! Password hashing: argon2id at OWASP's minimum, computed on a few long-lived threads
//! at the lowest scheduling priority, with the scheduler nudged while any computes.
//!
//! Argon2 is tens of milliseconds of pure CPU and memory by design. At normal priority
//! a burst of logins takes its share of the core from every page rendered beside it;
//! in the idle class it uses what pages leave (`bench/http.sh`, P6).
//!
//! The idle class alone does not keep a hash from holding up a page. Linux (EEVDF)
//! gives way to a thread of a higher class the moment that thread *wakes*; but when a
//! page's thread is runnable already (set aside for a moment for a database thread it
//! woke) and the hash is picked in its place, the hash runs until the next timer tick:
//! up to 4 ms at 250 Hz. `perf sched` showed exactly that (the runtime's thread
//! runnable for 4.9 ms behind `argon2`). So while a hash computes, a thread of the
//! normal class wakes every quarter millisecond ([`NUDGE_EVERY`]) and does nothing:
//! each wake makes the scheduler choose again, and a runnable page's thread wins within
//! that quarter.
//!
//! The hashing threads live on from one login to the next: with a new thread per
//! computation (and the nudges) P6 stayed at 1.5–2.8, against 1.1–1.4 with these.
//! They and the nudging thread are started when logins come and end after a minute
//! without one.
//!
//! The idle class has no floor: on a machine whose cores other work keeps busy (a
//! build, another service, the portal's own pages under a flood) it gets almost
//! nothing, and logins time out (183 of 241 did in a bench run beside a compile). So a
//! computation not answered within [`FAIR_SHARE_AFTER`] is also run at normal priority,
//! on tokio's blocking threads, a few at once; whichever answers first is the answer,
//! and a computation nobody waits for any more is skipped. Each such one is counted in
//! `broar_password_hashes_starved_total` (and said in the log, at most once a minute):
//! a machine with no spare CPU.

use std::{
    collections::VecDeque,
    panic::AssertUnwindSafe,
    sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError},
    time::{Duration, Instant},
};

use argon2::{
    Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version,
    password_hash::SaltString,
};

use crate::error::AppError;

/// OWASP's minimum for argon2id: 19 MiB, 2 iterations, 1 lane.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// How many argon2 computations run at once (19 MiB each); more logins wait their turn.
const HASHING_AT_ONCE: usize = 4;

/// How long a hashing thread waits for the next computation before it ends.
const IDLE_FOR: Duration = Duration::from_secs(60);

/// How often the nudging thread wakes while a hash runs (see the module's text).
const NUDGE_EVERY: Duration = Duration::from_micros(250);

/// How long a computation waits for spare CPU before it is also run at normal priority.
/// A hash takes 30–100 ms; a second means the machine has none to spare.
const FAIR_SHARE_AFTER: Duration = Duration::from_secs(1);

/// How often at most the log says that computations found no spare CPU.
const SAY_STARVED_EVERY: Duration = Duration::from_secs(60);

static HASHERS: Hashers = Hashers::new(HASHING_AT_ONCE, IDLE_FOR, FAIR_SHARE_AFTER);

/// Hashes a password off the async runtime (argon2 takes tens of milliseconds).
pub async fn hash_password(password: &str) -> Result<String, AppError> {
    let password = password.to_owned();
    hashing(move || {
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| AppError::unexpected(anyhow::anyhow!("hashing failed: {e}")))
    })
    .await?
}

/// Whether `password` matches `hash`, and whether the hash should be redone with the
/// current parameters. Runs off the async runtime.
pub(super) async fn verify_password(hash: &str, password: &str) -> Result<(bool, bool), AppError> {
    let (hash, password) = (hash.to_owned(), password.to_owned());
    hashing(move || {
        let Ok(parsed) = PasswordHash::new(&hash) else {
            return (false, false);
        };
        let ok = argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        let current = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
        let outdated = parsed.algorithm.as_str() != "argon2id"
            || Params::try_from(&parsed).map_or(true, |p| {
                p.m_cost() < current.m_cost()
                    || p.t_cost() < current.t_cost()
                    || p.p_cost() < current.p_cost()
            });
        (ok, ok && outdated)
    })
    .await
}

/// Runs `work` on a hashing thread, and waits for it without holding up the async
/// runtime.
async fn hashing<T: Send + 'static>(
    work: impl Fn() -> T + Send + Sync + 'static,
) -> Result<T, AppError> {
    hashing_on(&HASHERS, work).await
}

/// `work` at the idle priority, and after [`Hashers::fair_after`] without an answer
/// also at normal priority (see the module's text). `work` may run twice; the first
/// answer counts.
async fn hashing_on<T: Send + 'static>(
    hashers: &'static Hashers,
    work: impl Fn() -> T + Send + Sync + 'static,
) -> Result<T, AppError> {
    let (tx, mut rx) = tokio::sync::oneshot::channel();
    let computation = Arc::new(Computation {
        work,
        answer: Mutex::new(Some(tx)),
    });
    let idle = computation.clone();
    hashers.run(Box::new(move || idle.compute()))?;
    if let Ok(answer) = tokio::time::timeout(hashers.fair_after, &mut rx).await {
        return answer.map_err(AppError::unexpected);
    }
    hashers.report_starved();
    // The caller keeps no share of the computation from here on: should both runs
    // fail, the answer's sender is dropped and the caller hears of it.
    tokio::spawn(async move {
        let Ok(permit) = hashers.fair.acquire().await else {
            return;
        };
        let _ = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            computation.compute();
        })
        .await;
    });
    rx.await.map_err(AppError::unexpected)
}

/// One password computation, which a hashing thread and a normal-priority thread may
/// both run: the first to finish answers.
struct Computation<F, T> {
    work: F,
    answer: Mutex<Option<tokio::sync::oneshot::Sender<T>>>,
}

impl<F: Fn() -> T, T> Computation<F, T> {
    fn compute(&self) {
        // Answered already, or a login given up while it waited (the browser went
        // away): it costs nothing.
        if lock(&self.answer)
            .as_ref()
            .is_none_or(tokio::sync::oneshot::Sender::is_closed)
        {
            return;
        }
        let value = (self.work)();
        if let Some(answer) = lock(&self.answer).take() {
            let _ = answer.send(value);
        }
    }
}

type Job = Box<dyn FnOnce() + Send>;

/// What the log last said of computations that found no spare CPU.
struct Starved {
    /// When it said so.
    said: Option<Instant>,
    /// How many found none since.
    since: u64,
}

/// `mutex`'s value. No code here panics while holding one, so a poisoned lock is still
/// sound.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Up to `most` threads taking jobs from one queue, started when jobs outnumber the
/// threads waiting for one, and ending after `idle_for` without a job; and the thread
/// that nudges the scheduler while jobs run, ending likewise.
struct Hashers {
    most: usize,
    idle_for: Duration,
    /// How long a computation waits for spare CPU ([`FAIR_SHARE_AFTER`]).
    fair_after: Duration,
    /// Computations at normal priority at once, `most` of them.
    fair: tokio::sync::Semaphore,
    /// What the log last said of computations that found no spare CPU.
    starved: Mutex<Starved>,
    queue: Mutex<Queue>,
    /// A job was queued.
    wake: Condvar,
    /// A job started.
    started: Condvar,
}

struct Queue {
    jobs: VecDeque<Job>,
    /// Threads running.
    threads: usize,
    /// Of those, the ones waiting for a job.
    waiting: usize,
    /// Jobs being computed.
    computing: usize,
    /// Whether the nudging thread runs.
    nudging: bool,
    /// How often it woke while jobs were computed (read by the tests).
    nudges: u64,
}

impl Hashers {
    const fn new(most: usize, idle_for: Duration, fair_after: Duration) -> Self {
        Self {
            most,
            idle_for,
            fair_after,
            fair: tokio::sync::Semaphore::const_new(most),
            starved: Mutex::new(Starved {
                said: None,
                since: 0,
            }),
            queue: Mutex::new(Queue {
                jobs: VecDeque::new(),
                threads: 0,
                waiting: 0,
                computing: 0,
                nudging: false,
                nudges: 0,
            }),
            wake: Condvar::new(),
            started: Condvar::new(),
        }
    }

    /// Counts a computation that found no spare CPU, and tells the log: at most once a
    /// minute, with how many did since the last line (under load, every login would be
    /// a line).
    fn report_starved(&self) {
        metrics::counter!("broar_password_hashes_starved_total").increment(1);
        let mut starved = lock(&self.starved);
        starved.since += 1;
        if starved
            .said
            .is_none_or(|said| said.elapsed() >= SAY_STARVED_EVERY)
        {
            tracing::warn!(
                hashes = starved.since,
                waited = ?self.fair_after,
                "password hashes found no spare CPU and were computed at normal priority too: \
                 the machine is short of CPU"
            );
            starved.said = Some(Instant::now());
            starved.since = 0;
        }
    }

    fn queue(&self) -> MutexGuard<'_, Queue> {
        lock(&self.queue)
    }

    fn run(&'static self, job: Job) -> Result<(), AppError> {
        let mut queue = self.queue();
        queue.jobs.push_back(job);
        // Started from the caller's thread (a normal one), so of the normal class.
        if !queue.nudging {
            match std::thread::Builder::new()
                .name("argon2-nudge".into())
                .spawn(move || self.nudge())
            {
                Ok(_) => queue.nudging = true,
                Err(e) => tracing::warn!("no nudging thread: {e}"),
            }
        }
        if queue.jobs.len() > queue.waiting && queue.threads < self.most {
            let started = std::thread::Builder::new()
                .name("argon2".into())
                .spawn(move || self.work());
            match started {
                Ok(_) => queue.threads += 1,
                // The running threads take it; with none, the caller hears of it.
                Err(e) if queue.threads == 0 => {
                    queue.jobs.pop_back();
                    return Err(AppError::unexpected(e));
                }
                Err(e) => tracing::warn!("no further hashing thread: {e}"),
            }
        }
        self.wake.notify_one();
        Ok(())
    }

    /// A hashing thread: jobs one after another, until none comes for `idle_for`.
    fn work(&self) {
        // Where the system refuses (it never does for lowering), the work still runs.
        if let Err(e) = lowest_priority() {
            tracing::debug!("could not lower the hashing thread's priority: {e:?}");
        }
        let mut queue = self.queue();
        loop {
            if let Some(job) = queue.jobs.pop_front() {
                queue.computing += 1;
                self.started.notify_one();
                drop(queue);
                // A job that panics drops its answer (its caller hears of it); the
                // thread goes on.
                let _ = std::panic::catch_unwind(AssertUnwindSafe(job));
                queue = self.queue();
                queue.computing -= 1;
                continue;
            }
            queue.waiting += 1;
            let (woken, waited) = self
                .wake
                .wait_timeout(queue, self.idle_for)
                .unwrap_or_else(PoisonError::into_inner);
            queue = woken;
            queue.waiting -= 1;
            if waited.timed_out() && queue.jobs.is_empty() {
                queue.threads -= 1;
                return;
            }
        }
    }

    /// The nudging thread: while jobs are computed, a wake every [`NUDGE_EVERY`]; else
    /// asleep until one starts, and gone after `idle_for` without one.
    fn nudge(&self) {
        let mut queue = self.queue();
        loop {
            if queue.computing > 0 {
                queue.nudges += 1;
                drop(queue);
                std::thread::sleep(NUDGE_EVERY);
                queue = self.queue();
                continue;
            }
            let (woken, waited) = self
                .started
                .wait_timeout(queue, self.idle_for)
                .unwrap_or_else(PoisonError::into_inner);
            queue = woken;
            if waited.timed_out() && queue.computing == 0 && queue.jobs.is_empty() {
                queue.nudging = false;
                return;
            }
        }
    }
}

/// Puts the calling thread last in line for the core. On Linux: the idle scheduling
/// class, whose threads give way to any other that wakes (and, with the nudges, to one
/// that is waiting), while still getting a small share under full load; elsewhere, the
/// lowest priority of the normal class.
fn lowest_priority() -> Result<(), thread_priority::Error> {
    #[cfg(target_os = "linux")]
    {
        use thread_priority::{
            NormalThreadSchedulePolicy, ThreadPriority, ThreadSchedulePolicy,
            set_thread_priority_and_policy, thread_native_id,
        };
        set_thread_priority_and_policy(
            thread_native_id(),
            ThreadPriority::Min,
            ThreadSchedulePolicy::Normal(NormalThreadSchedulePolicy::Idle),
        )
    }
    #[cfg(not(target_os = "linux"))]
    thread_priority::set_current_thread_priority(thread_priority::ThreadPriority::Min)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime")
    }

    /// The calling thread's scheduling policy, from /proc (Linux).
    fn own_policy() -> u32 {
        let stat =
            std::fs::read_to_string("/proc/thread-self/stat").expect("/proc/thread-self/stat");
        // Fields after "(comm) " start at the third; the policy is the forty-first.
        let rest = stat.rsplit_once(") ").expect("a stat line").1;
        rest.split_whitespace()
            .nth(38)
            .expect("the policy field")
            .parse()
            .expect("a number")
    }

    /// Linux's idle scheduling class (`SCHED_IDLE` in sched.h).
    const SCHED_IDLE: u32 = 5;

    /// A wait for spare CPU longer than any test: on a busy test machine the idle
    /// class may well wait a second, and these tests are about the idle threads.
    const NEVER: Duration = Duration::from_secs(3600);

    #[test]
    fn password_work_runs_at_the_lowest_priority_and_only_a_few_at_once() {
        static RUNNING: AtomicUsize = AtomicUsize::new(0);
        static MOST: AtomicUsize = AtomicUsize::new(0);
        // A pool of its own: the other tests' hashes would take turns from this one's.
        let hashers: &'static Hashers =
            Box::leak(Box::new(Hashers::new(HASHING_AT_ONCE, IDLE_FOR, NEVER)));
        let classes = runtime().block_on(async {
            let tasks: Vec<_> = (0..12)
                .map(|_| {
                    tokio::spawn(hashing_on(hashers, || {
                        let now = RUNNING.fetch_add(1, Ordering::SeqCst) + 1;
                        MOST.fetch_max(now, Ordering::SeqCst);
                        std::thread::sleep(Duration::from_millis(30));
                        RUNNING.fetch_sub(1, Ordering::SeqCst);
                        own_policy()
                    }))
                })
                .collect();
            let mut classes = Vec::new();
            for t in tasks {
                classes.push(t.await.expect("joined").expect("ran"));
            }
            classes
        });
        assert_eq!(
            classes,
            vec![SCHED_IDLE; 12],
            "every computation ran in the idle scheduling class"
        );
        assert_eq!(
            MOST.load(Ordering::SeqCst),
            HASHING_AT_ONCE,
            "never more than {HASHING_AT_ONCE} at once, and that many"
        );
        assert_ne!(
            own_policy(),
            SCHED_IDLE,
            "the caller's thread keeps its scheduling class"
        );
    }

    /// Waits until every thread of `hashers` waits for work.
    fn settled(hashers: &Hashers) {
        while {
            let queue = hashers.queue();
            queue.computing > 0 || queue.waiting < queue.threads
        } {
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    #[test]
    fn a_hashing_thread_lives_on_is_nudged_while_it_works_and_ends_when_idle() {
        let hashers: &'static Hashers =
            Box::leak(Box::new(Hashers::new(2, Duration::from_millis(200), NEVER)));
        let seen = |pause: Duration| {
            let (tx, rx) = std::sync::mpsc::channel();
            hashers
                .run(Box::new(move || {
                    std::thread::sleep(pause);
                    let _ = tx.send(std::thread::current().id());
                }))
                .expect("queued");
            let seen = rx.recv().expect("ran");
            settled(hashers);
            seen
        };
        let first = seen(Duration::ZERO);
        let before = hashers.queue().nudges;
        let second = seen(Duration::from_millis(50));
        assert_eq!(first, second, "the same thread");
        assert_eq!(hashers.queue().threads, 1, "one at a time needs one thread");
        let during = hashers.queue().nudges - before;
        // One every quarter millisecond would be 200; a busy machine sleeps longer.
        assert!(
            during >= 5,
            "the scheduler was nudged {during} times in 50 ms"
        );
        std::thread::sleep(Duration::from_millis(700));
        let queue = hashers.queue();
        assert_eq!(queue.nudges - before, during, "no nudges without work");
        assert_eq!(queue.threads, 0, "an idle hashing thread ends");
        assert!(!queue.nudging, "so does the nudging thread");
        drop(queue);
        let third = seen(Duration::ZERO);
        assert_ne!(third, first, "work after that starts a new thread");
        assert!(hashers.queue().nudging, "and a nudging thread");
    }

    #[test]
    fn a_computation_starved_of_spare_cpu_runs_at_normal_priority_too_and_no_third_time() {
        static SECOND_RUNS: AtomicUsize = AtomicUsize::new(0);
        // One hashing thread, which the first computation holds as a machine with no
        // spare CPU would, until it is released.
        let hashers: &'static Hashers = Box::leak(Box::new(Hashers::new(
            1,
            IDLE_FOR,
            Duration::from_millis(100),
        )));
        let (release, held) = std::sync::mpsc::channel::<()>();
        let held = Mutex::new(held);
        let (first, second) = runtime().block_on(async {
            let first = tokio::spawn(hashing_on(hashers, move || {
                let policy = own_policy();
                if policy == SCHED_IDLE {
                    let held = lock(&held);
                    let _ = held.recv_timeout(Duration::from_secs(30));
                }
                policy
            }));
            // Queued behind it.
            let second = tokio::spawn(hashing_on(hashers, || {
                SECOND_RUNS.fetch_add(1, Ordering::SeqCst);
                own_policy()
            }));
            let answer = |task: tokio::task::JoinHandle<Result<u32, AppError>>| async move {
                tokio::time::timeout(Duration::from_secs(20), task)
                    .await
                    .expect("answered while the hashing thread was held")
                    .expect("joined")
                    .expect("ran")
            };
            (answer(first).await, answer(second).await)
        });
        assert_ne!(
            first, SCHED_IDLE,
            "the held computation was answered at normal priority"
        );
        assert_ne!(second, SCHED_IDLE, "so was the one queued behind it");
        assert_eq!(
            hashers.starved.lock().expect("not poisoned").since,
            1,
            "the log said so for the first, and keeps the second for its next line"
        );
        // Let the hashing thread go on: the queued computation is answered already.
        let _ = release.send(());
        settled(hashers);
        assert_eq!(
            SECOND_RUNS.load(Ordering::SeqCst),
            1,
            "an answered computation is not run again"
        );
    }
}
