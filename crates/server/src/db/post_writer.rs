//! Group commit for new posts. With `synchronous=FULL` every commit waits for the disk, so one
//! transaction per post capped a room of members posting at about 150 posts/s. Posts arriving
//! while a commit is under way queue here; the next transaction writes all of them (each in its
//! own savepoint, so one post's failure touches no other) and one disk flush makes them all
//! durable. Every caller still gets its answer only after that commit.

use super::posts::{insert_post, Container, NewPostRecord};
use super::{Db, DbResult, Engine};
use sqlx::{Acquire, AnyPool};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot, OnceCell};
use yishi_api::{AccountId, Post, PostKind, Quote};

/// Most posts one transaction takes.
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
    reply: oneshot::Sender<DbResult<Post>>,
}

/// The queue's sending side, started on first use (one writer task per pool).
#[derive(Clone, Default)]
pub struct PostWriter(Arc<OnceCell<mpsc::Sender<Job>>>);

impl Db {
    /// Writes a post (held for moderation where the rules say so) with its search terms,
    /// points and event, committed with the posts queued beside it.
    pub async fn create_post(
        &self,
        container: Container,
        post: &NewPostRecord<'_>,
    ) -> DbResult<Post> {
        let queue = self
            .post_writer
            .0
            .get_or_init(|| async {
                let (tx, rx) = mpsc::channel(4 * MAX_BATCH);
                tokio::spawn(write_batches(self.pool.clone(), self.engine, rx));
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
            reply,
        };
        queue.send(job).await.map_err(|_| sqlx::Error::PoolClosed)?;
        answer.await.map_err(|_| sqlx::Error::PoolClosed)?
    }
}

async fn write_batches(pool: AnyPool, engine: Engine, mut queue: mpsc::Receiver<Job>) {
    while let Some(first) = queue.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        write_batch(&pool, engine, batch).await;
    }
}

async fn write_batch(pool: &AnyPool, engine: Engine, batch: Vec<Job>) {
    let begun = match engine {
        Engine::Sqlite => pool.begin_with("BEGIN IMMEDIATE").await,
        Engine::Postgres => pool.begin().await,
    };
    let mut tx = match begun {
        Ok(tx) => tx,
        Err(e) => return fail_all(batch, &e),
    };
    let mut written = Vec::with_capacity(batch.len());
    for job in batch {
        let record = NewPostRecord {
            author: job.author,
            kind: job.kind,
            body_md: &job.body_md,
            body_html: &job.body_html,
            parent_id: job.parent_id,
            chapter_id: job.chapter_id,
            quote: job.quote.clone(),
            root_id: job.root_id,
            depth: job.depth,
        };
        // A savepoint per post: a failing one is rolled back alone.
        let outcome = match tx.begin().await {
            Ok(mut one) => match insert_post(&mut one, engine, job.container, &record).await {
                Ok(post) => one.commit().await.map(|_| post),
                Err(e) => Err(e),
            },
            Err(e) => Err(e),
        };
        written.push((job.reply, outcome));
    }
    match tx.commit().await {
        Ok(()) => {
            for (reply, outcome) in written {
                let _ = reply.send(outcome);
            }
        }
        Err(e) => {
            tracing::warn!(error = ?e, "committing a batch of posts failed");
            for (reply, _) in written {
                let _ = reply.send(Err(same_kind(&e)));
            }
        }
    }
}

fn fail_all(batch: Vec<Job>, e: &sqlx::Error) {
    tracing::warn!(error = ?e, "starting a batch of posts failed");
    for job in batch {
        let _ = job.reply.send(Err(same_kind(e)));
    }
}

/// An error to hand to each caller of a failed batch (sqlx errors cannot be cloned); what
/// matters is that the database being unavailable still reads as unavailable (503).
fn same_kind(e: &sqlx::Error) -> sqlx::Error {
    match e {
        sqlx::Error::PoolTimedOut => sqlx::Error::PoolTimedOut,
        sqlx::Error::PoolClosed => sqlx::Error::PoolClosed,
        other => sqlx::Error::Io(std::io::Error::other(other.to_string())),
    }
}
