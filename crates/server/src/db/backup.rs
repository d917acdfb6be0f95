//! Online backup of a SQLite database while servers keep using it. `VACUUM INTO` copies one
//! consistent snapshot (a read transaction: in WAL mode writers carry on meanwhile) into a new
//! file, which is checked, synced and only then given its final name, so a file under the
//! chosen name is always a whole, verified backup. PostgreSQL has `pg_dump` for this.

use super::{Db, Engine};
use anyhow::{bail, Context};
use std::path::Path;

/// What a finished backup holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupReport {
    pub bytes: u64,
    pub accounts: i64,
    pub posts: i64,
}

pub async fn sqlite(db: &Db, to: &Path) -> anyhow::Result<BackupReport> {
    if db.engine != Engine::Sqlite {
        bail!("back up PostgreSQL with pg_dump while serving (see docs/operations.md)");
    }
    if to.exists() {
        bail!(
            "{} exists already: backups are never overwritten, choose a new name",
            to.display()
        );
    }
    let partial = to.with_file_name(format!(
        "{}.partial",
        to.file_name()
            .and_then(|n| n.to_str())
            .context("the backup needs a file name")?
    ));
    let _ = std::fs::remove_file(&partial);
    let result = write_and_check(db, &partial, to).await;
    // Whatever happened, no half-made copy stays behind under the working name.
    let _ = std::fs::remove_file(&partial);
    result
}

async fn write_and_check(db: &Db, partial: &Path, to: &Path) -> anyhow::Result<BackupReport> {
    let target = partial
        .to_str()
        .context("the backup path must be valid UTF-8")?
        .replace('\'', "''");
    sqlx::query(&format!("VACUUM INTO '{target}'"))
        .execute(&db.pool)
        .await
        .context("copying the database")?;
    let report = check(partial).await?;
    // VACUUM INTO does not sync its output: make the copy durable before naming it.
    std::fs::File::open(partial)
        .and_then(|f| f.sync_all())
        .context("syncing the backup")?;
    // A hard link, unlike a rename, never replaces a file that appeared under the name since.
    std::fs::hard_link(partial, to).with_context(|| {
        format!(
            "naming the backup {} (it may exist already: backups are never overwritten)",
            to.display()
        )
    })?;
    if let Some(dir) = to.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::File::open(dir)
            .and_then(|f| f.sync_all())
            .context("syncing the backup folder")?;
    }
    Ok(report)
}

/// Opens the copy read-only: it must pass `integrity_check` and hold the schema.
async fn check(path: &Path) -> anyhow::Result<BackupReport> {
    use sqlx::{ConnectOptions, Connection};
    // Options rather than a URL: a URL would percent-decode a path holding `%`, `?` or `#`.
    let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .connect()
        .await
        .context("opening the backup")?;
    let verdict: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await?;
    if verdict != "ok" {
        bail!("the backup failed its integrity check: {verdict}");
    }
    let accounts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts")
        .fetch_one(&mut conn)
        .await
        .context("the backup has no accounts table: is this a Yishi database?")?;
    let posts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM posts")
        .fetch_one(&mut conn)
        .await?;
    conn.close().await?;
    let bytes = std::fs::metadata(path)?.len();
    Ok(BackupReport {
        bytes,
        accounts,
        posts,
    })
}
