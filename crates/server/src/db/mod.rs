//! Storage: the one module that owns SQL. SQLite (embedded default) and PostgreSQL sit behind
//! the same `Db` through sqlx's `Any` driver; the few statements that differ between the
//! engines are chosen with `Db::engine`.

pub mod accounts;
pub mod attachments;
pub mod audit;
pub mod backup;
pub mod bench;
pub mod calendar;
pub mod consultations;
pub mod copy;
pub mod duty;
pub mod events;
pub mod followup;
pub mod micro;
pub mod moderation;
pub mod notifications;
pub mod org;
pub mod outcome;
pub mod password_resets;
pub mod photos;
pub mod post_writer;
pub mod posts;
pub mod reading;
pub mod search;
pub mod sessions;
pub mod settings;
pub mod speaking;
pub mod suggestions;

use anyhow::Context;
use sqlx::any::AnyPoolOptions;
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor};
use std::time::Duration;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// The engine a connection talks to (for code handed only a connection).
pub fn engine_of(conn: &sqlx::AnyConnection) -> Engine {
    if conn.backend_name().eq_ignore_ascii_case("postgresql") {
        Engine::Postgres
    } else {
        Engine::Sqlite
    }
}

#[derive(Clone)]
pub struct Db {
    pub pool: AnyPool,
    pub engine: Engine,
    /// Group commit of new posts on SQLite (started on first use).
    post_writer: post_writer::PostWriter,
    /// Runs after new posts committed, whether or not their request still waits.
    posts_committed: post_writer::CommitHook,
}

/// Result of a storage call: sqlx errors are turned into API errors by `crate::error`.
pub type DbResult<T> = Result<T, sqlx::Error>;

impl Db {
    /// Connects to `sqlite://path` or `postgres://…`, creating a SQLite file if missing.
    pub async fn connect(url: &str, max_connections: u32) -> anyhow::Result<Db> {
        sqlx::any::install_default_drivers();
        let engine = if url.starts_with("sqlite:") {
            Engine::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Engine::Postgres
        } else {
            anyhow::bail!("database URL must start with sqlite: or postgres:");
        };
        let url = match engine {
            Engine::Sqlite => sqlite_url(url)?,
            Engine::Postgres => url.to_owned(),
        };
        let options = AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(10));
        let options = match engine {
            // Durability per decisions.md: WAL + synchronous=FULL, foreign keys on, and wait
            // on a busy writer rather than failing at once.
            Engine::Sqlite => options.after_connect(|conn, _meta| {
                Box::pin(async move {
                    conn.execute(
                        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                         PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
                    )
                    .await?;
                    Ok(())
                })
            }),
            Engine::Postgres => options,
        };
        let pool = options
            .connect(&url)
            .await
            .with_context(|| "connecting to the database")?;
        Ok(Db {
            pool,
            engine,
            post_writer: Default::default(),
            posts_committed: Default::default(),
        })
    }

    /// Registers what runs once new posts are committed (the event hub's wake-up). The
    /// storage layer calls it, not the handler: a request abandoned by its client while its
    /// post was being written is not there any more to say so, and live rooms would hear of
    /// the post only at the log reader's next periodic read.
    pub fn on_posts_committed(&self, hook: post_writer::OnCommit) {
        self.posts_committed.set(hook);
    }

    pub async fn migrate(&self) -> anyhow::Result<()> {
        let migrator = match self.engine {
            Engine::Sqlite => &SQLITE_MIGRATIONS,
            Engine::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator
            .run(&self.pool)
            .await
            .context("running migrations")?;
        Ok(())
    }

    /// Whether every migration this build knows has been applied (readiness: a server of a
    /// newer build waits for `migrate` before taking traffic).
    pub async fn migrations_current(&self) -> DbResult<bool> {
        let migrator = match self.engine {
            Engine::Sqlite => &SQLITE_MIGRATIONS,
            Engine::Postgres => &POSTGRES_MIGRATIONS,
        };
        let latest = migrator.iter().map(|m| m.version).max().unwrap_or(0);
        let applied: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations")
            .fetch_one(&self.pool)
            .await?;
        Ok(applied.unwrap_or(0) >= latest)
    }

    /// Runs `job` unless another server is running it: on PostgreSQL a transaction-scoped
    /// advisory lock names the job, so with several instances each scheduled job runs once;
    /// SQLite has one server. Returns `None` when another server holds the lock.
    pub async fn exclusively<T, F, Fut>(&self, lock: i64, job: F) -> DbResult<Option<T>>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = DbResult<T>>,
    {
        if self.engine == Engine::Sqlite {
            return job().await.map(Some);
        }
        let mut tx = self.pool.begin().await?;
        let got: bool = sqlx::query_scalar("SELECT pg_try_advisory_xact_lock($1)")
            .bind(lock)
            .fetch_one(&mut *tx)
            .await?;
        if !got {
            return Ok(None);
        }
        let result = job().await;
        tx.commit().await?;
        result.map(Some)
    }

    /// A transaction that will write after reading. SQLite starts it as the writer at once
    /// (`BEGIN IMMEDIATE`): a deferred transaction that reads first fails with "busy" instead
    /// of waiting when another write commits before its own first write.
    pub async fn begin_write(&self) -> DbResult<sqlx::Transaction<'static, sqlx::Any>> {
        match self.engine {
            Engine::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Engine::Postgres => self.pool.begin().await,
        }
    }

    /// Cheap liveness probe for the health endpoint.
    pub async fn ping(&self) -> DbResult<()> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }
}

/// Makes sure the SQLite file's folder exists and the file is created on first use.
fn sqlite_url(url: &str) -> anyhow::Result<String> {
    let rest = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        anyhow::bail!("use a SQLite file path: the database must survive restarts");
    }
    if let Some(parent) = std::path::Path::new(path).parent() {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating folder {}", parent.display()))?;
        }
    }
    Ok(if url.contains('?') {
        url.to_owned()
    } else {
        format!("sqlite://{path}?mode=rwc")
    })
}

/// Now, as stored: Unix milliseconds.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// The `VALUES` list of a multi-row insert: `rows` groups of `width` numbered parameters,
/// `($1, $2), ($3, $4)`. One statement for many rows is one round trip instead of many.
pub(crate) fn value_rows(rows: usize, width: usize) -> String {
    (0..rows)
        .map(|r| format!("({})", params(r * width + 1, width)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `count` numbered parameters from `$first`, comma-separated: an `IN (…)` list.
pub(crate) fn params(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn value_rows_numbers_every_cell_once_row_by_row() {
        assert_eq!(super::value_rows(1, 1), "($1)");
        assert_eq!(super::value_rows(2, 3), "($1, $2, $3), ($4, $5, $6)");
    }

    #[test]
    fn params_start_where_asked() {
        assert_eq!(super::params(3, 2), "$3, $4");
        assert_eq!(super::params(1, 0), "");
    }
}
