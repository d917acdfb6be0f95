//! Group commit of new posts on SQLite. With `synchronous=FULL` every commit waits for the
//! disk, and SQLite has one writer at a time: one transaction per post capped a room of members
//! posting at about 140 posts/s, and writers queued in SQLite's busy handler (which sleeps in
//! growing steps) pushed p99 past a second. Here one task writes posts: those arriving while a
//! commit is under way wait in a queue, and the next transaction writes all of them with one
//! disk flush for the lot. Every caller gets its answer only after that commit, so an answered
//! post is as durable as before. Should any post of a batch fail, nothing of the batch is kept
//! and each post is written again in its own transaction, so one post's failure touches no
//! other and each caller gets its own result. (No savepoint per post: each costs two more
//! round trips to SQLite's connection thread, and failures are rare.)
//!
//! PostgreSQL is not batched: its backends already share WAL flushes between concurrent commits,
//! and a batch there would take the event-log lock with its first post and then row locks of
//! later posts' containers, the reverse of the order moderation takes them.

use super::posts::{insert_posts, Container, Decided, NewPost, NewPostRecord};
use super::{DbResult, Engine};
use futures::FutureExt;
use sqlx::AnyPool;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, OnceLock};
use tokio::sync::{mpsc, oneshot, OnceCell};
use yishi_api::{AccountId, Post, PostKind, Quote};

/// Most posts one transaction takes: bounds how long a batch holds SQLite's write lock.
const MAX_BATCH: usize = 128;

/// A new post, owned so that it can wait in the queue.
struct Job {
    container: Container,
    author: AccountId,
    kind: PostKind,
    body_md: String,
    body_html: String,
    parent_id: Option<i64>,
    chapter_id: Option<i64>,
    quote: Option<Quote>,
    root_id: Option<i64>,
    depth: i64,
    decided: Decided,
    reply: oneshot::Sender<DbResult<Post>>,
}

impl Job {
    fn record(&self) -> NewPostRecord<'_> {
        NewPostRecord {
            author: self.author,
            kind: self.kind,
            body_md: &self.body_md,
            body_html: &self.body_html,
            parent_id: self.parent_id,
            chapter_id: self.chapter_id,
            quote: self.quote.clone(),
            root_id: self.root_id,
            depth: self.depth,
        }
    }
}

/// What runs after a transaction holding new posts committed: the event hub's wake-up.
pub type OnCommit = Arc<dyn Fn() + Send + Sync>;

/// Set once at start-up, shared by every clone of the `Db`.
#[derive(Clone, Default)]
pub(crate) struct CommitHook(Arc<OnceLock<OnCommit>>);

impl CommitHook {
    pub(crate) fn set(&self, hook: OnCommit) {
        // A second registration would be a wiring mistake; the first one stays.
        let _ = self.0.set(hook);
    }

    pub(crate) fn committed(&self) {
        if let Some(hook) = self.0.get() {
            hook();
        }
    }
}

/// The queue's sending side, started on first use: one writer task per pool.
#[derive(Clone, Default)]
pub(crate) struct PostWriter(Arc<OnceCell<mpsc::Sender<Job>>>);

impl PostWriter {
    /// Queues the post and waits until the transaction holding it committed.
    pub(crate) async fn write(
        &self,
        pool: &AnyPool,
        container: Container,
        post: &NewPostRecord<'_>,
        decided: Decided,
        hook: &CommitHook,
    ) -> DbResult<Post> {
        let queue = self
            .0
            .get_or_init(|| async {
                let (tx, rx) = mpsc::channel(4 * MAX_BATCH);
                tokio::spawn(write_batches(pool.clone(), rx, hook.clone()));
                tx
            })
            .await;
        let (reply, answer) = oneshot::channel();
        let job = Job {
            container,
            author: post.author,
            kind: post.kind,
            body_md: post.body_md.to_owned(),
            body_html: post.body_html.to_owned(),
            parent_id: post.parent_id,
            chapter_id: post.chapter_id,
            quote: post.quote.clone(),
            root_id: post.root_id,
            depth: post.depth,
            decided,
            reply,
        };
        queue.send(job).await.map_err(|_| sqlx::Error::PoolClosed)?;
        answer.await.map_err(|_| sqlx::Error::PoolClosed)?
    }
}

async fn write_batches(pool: AnyPool, mut queue: mpsc::Receiver<Job>, hook: CommitHook) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while queue.recv_many(&mut batch, MAX_BATCH).await > 0 {
        // A panic must not end the one writer (every later post would fail): the batch's
        // callers lose their answer channel and get a 503, and the writer goes on.
        let written = AssertUnwindSafe(write_batch(&pool, std::mem::take(&mut batch), &hook));
        if written.catch_unwind().await.is_err() {
            tracing::error!("writing a batch of posts panicked");
        }
    }
}

async fn write_batch(pool: &AnyPool, batch: Vec<Job>, hook: &CommitHook) {
    if batch.len() == 1 {
        return write_alone(pool, batch, hook).await;
    }
    let mut tx = match pool.begin_with("BEGIN IMMEDIATE").await {
        Ok(tx) => tx,
        Err(e) => {
            // Nothing was tried: the database is out of reach or busy past its timeout.
            // Writing each post alone would make each wait that long in turn, holding up every
            // later post; all answer now (the error itself cannot be cloned: the rest get the
            // pool's timeout, the same "try again" answer).
            tracing::warn!(error = ?e, posts = batch.len(), "a batch of posts could not start");
            let mut error = Some(e);
            for job in batch {
                let e = error.take().unwrap_or(sqlx::Error::PoolTimedOut);
                let _ = job.reply.send(Err(e));
            }
            return;
        }
    };
    let written = async {
        let posts = insert(&mut tx, &batch).await?;
        tx.commit().await?;
        Ok::<_, sqlx::Error>(posts)
    }
    .await;
    match written {
        Ok(posts) => {
            // Before the answers: a caller that gave up waiting still has its post streamed.
            hook.committed();
            for (job, post) in batch.into_iter().zip(posts) {
                let _ = job.reply.send(Ok(post));
            }
        }
        Err(e) => {
            // The transaction rolled back: nothing of the batch is stored. sqlx errors cannot
            // be cloned, and a disk that is full must still read as full to each caller.
            tracing::warn!(error = ?e, posts = batch.len(), "a batch of posts failed; writing each alone");
            write_alone(pool, batch, hook).await;
        }
    }
}

/// One transaction per post: a lone post, or each post of a batch that failed.
async fn write_alone(pool: &AnyPool, jobs: Vec<Job>, hook: &CommitHook) {
    for job in jobs {
        let outcome = async {
            let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
            let post = insert(&mut tx, std::slice::from_ref(&job))
                .await?
                .pop()
                .ok_or(sqlx::Error::RowNotFound)?;
            tx.commit().await?;
            hook.committed();
            Ok(post)
        }
        .await;
        let _ = job.reply.send(outcome);
    }
}

/// The jobs' posts in one multi-row insert and what publishing them writes, each kind of row
/// in one statement (`insert_posts`): the writer's time goes on round trips to SQLite's
/// connection thread, not on the SQL.
async fn insert(tx: &mut sqlx::AnyConnection, jobs: &[Job]) -> DbResult<Vec<Post>> {
    let records: Vec<NewPostRecord<'_>> = jobs.iter().map(Job::record).collect();
    let posts: Vec<NewPost<'_>> = jobs
        .iter()
        .zip(&records)
        .map(|(job, record)| NewPost {
            container: job.container,
            record,
            decided: &job.decided,
        })
        .collect();
    insert_posts(tx, Engine::Sqlite, &posts).await
}
