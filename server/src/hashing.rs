//! The bound on password hashing: how many Argon2id hashes run at once, and who waits for one.
//!
//! Each hash takes 19 MiB and most of a core for tens of milliseconds. Unbounded, 300 sign-ins at
//! once took 1.6 GiB and made a real person's sign-in wait 6.7 s (issue 13, item 4). So at most one
//! hash per core runs at a time; a few more requests wait briefly for their turn, and the rest are
//! answered 503 with `Retry-After` at once, which costs neither memory nor a core.

use std::num::NonZero;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::{AppError, Problem};

/// How long a sign-in waits for a free core before it is told to come back.
pub const QUEUE_WAIT: Duration = Duration::from_secs(2);
/// How many sign-ins may wait, per core, before the next is refused without waiting.
pub const QUEUE_PER_CORE: usize = 4;
/// What `Retry-After` says to a sign-in refused for lack of a free core.
pub const BUSY_RETRY_AFTER: Duration = Duration::from_secs(2);

/// A gate that lets at most `size` hashes run at once.
pub struct Hashing {
    permits: Arc<Semaphore>,
    size: usize,
    queue: usize,
    wait: Duration,
    waiting: AtomicUsize,
    running: Arc<AtomicUsize>,
    peak: Arc<AtomicUsize>,
}

impl Hashing {
    /// `size` hashes at once; up to `queue` more wait at most `wait` each.
    pub fn new(size: usize, queue: usize, wait: Duration) -> Hashing {
        let size = size.max(1);
        Hashing {
            permits: Arc::new(Semaphore::new(size)),
            size,
            queue,
            wait,
            waiting: AtomicUsize::new(0),
            running: Arc::default(),
            peak: Arc::default(),
        }
    }

    /// One hash per core the process may use, [`QUEUE_PER_CORE`] waiting per core.
    pub fn sized_to_the_cores() -> Hashing {
        let cores = std::thread::available_parallelism().map_or(1, NonZero::get);
        Hashing::new(cores, QUEUE_PER_CORE * cores, QUEUE_WAIT)
    }

    /// The gate of work that may wait as long as it takes (adding a person from the command line).
    pub fn shared() -> &'static Hashing {
        static SHARED: LazyLock<Hashing> = LazyLock::new(Hashing::sized_to_the_cores);
        &SHARED
    }

    /// How many hashes may run at once.
    pub fn size(&self) -> usize {
        self.size
    }

    /// The most hashes that ever ran at the same moment through this gate.
    pub fn peak(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }

    /// Runs `work` when a core is free, after a brief wait at most; else 503 `sign_in_busy`.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let permit = match self.permits.clone().try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => self.wait_for_a_turn().await.ok_or(Problem::SignInBusy)?,
        };
        Ok(self.run_with(permit, work).await?)
    }

    /// Runs `work` when a core is free, however long that takes.
    pub async fn run_waiting<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> anyhow::Result<T> {
        let permit = self.permits.clone().acquire_owned().await?;
        self.run_with(permit, work).await
    }

    async fn wait_for_a_turn(&self) -> Option<OwnedSemaphorePermit> {
        let _in_queue = InQueue::join(&self.waiting, self.queue)?;
        tokio::time::timeout(self.wait, self.permits.clone().acquire_owned())
            .await
            .ok()?
            .ok()
    }

    /// The permit goes into the blocking task: when the request is dropped while the hash runs,
    /// the hash still holds its core until it ends, so the bound holds under cancellation too.
    async fn run_with<T: Send + 'static>(
        &self,
        permit: OwnedSemaphorePermit,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> anyhow::Result<T> {
        let running = self.running.clone();
        let peak = self.peak.clone();
        Ok(tokio::task::spawn_blocking(move || {
            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
            peak.fetch_max(now, Ordering::SeqCst);
            let result = work();
            running.fetch_sub(1, Ordering::SeqCst);
            drop(permit);
            result
        })
        .await?)
    }
}

/// A place in the queue, given back when the wait ends or the request is dropped.
struct InQueue<'a>(&'a AtomicUsize);

impl<'a> InQueue<'a> {
    fn join(waiting: &'a AtomicUsize, queue: usize) -> Option<InQueue<'a>> {
        waiting
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n < queue).then_some(n + 1)
            })
            .ok()
            .map(|_| InQueue(waiting))
    }
}

impl Drop for InQueue<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gate_is_sized_to_the_cores() {
        let cores = std::thread::available_parallelism().unwrap().get();
        assert_eq!(Hashing::sized_to_the_cores().size(), cores);
    }

    #[tokio::test]
    async fn with_every_core_busy_and_the_queue_full_the_next_is_refused_at_once() {
        let gate = Arc::new(Hashing::new(1, 0, Duration::from_secs(60)));
        let (started, release) = (
            Arc::new(std::sync::Barrier::new(2)),
            Arc::new(std::sync::Barrier::new(2)),
        );
        let running = {
            let (gate, started, release) = (gate.clone(), started.clone(), release.clone());
            tokio::spawn(async move {
                gate.run(move || {
                    started.wait();
                    release.wait();
                })
                .await
            })
        };
        tokio::task::spawn_blocking(move || started.wait())
            .await
            .unwrap();
        let refused = gate.run(|| ()).await;
        assert!(matches!(
            refused,
            Err(AppError::Problem(Problem::SignInBusy))
        ));
        tokio::task::spawn_blocking(move || release.wait())
            .await
            .unwrap();
        assert!(running.await.unwrap().is_ok());
        assert_eq!(gate.peak(), 1);
    }
}
