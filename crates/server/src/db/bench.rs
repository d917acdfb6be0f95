//! Bulk data for benchmarks and long-thread tests, written in a few statements instead of
//! through the API (no search index, events, points or audit rows).

use super::{now_ms, Db, DbResult};

/// A typical comment's length (about 90 characters) so pages weigh what real ones do.
const BODY: &str = "关于老旧小区加装电梯，建议统一补贴标准、简化审批流程，\
    并由街道牵头协调低层住户的意见，让群众少跑腿、早受益。";

impl Db {
    /// Writes `count` top-level posts into a container, authored by `author` (a username),
    /// in one statement per batch. A reading group's post count follows.
    pub async fn seed_posts(
        &self,
        container_kind: &str,
        container_id: i64,
        author: &str,
        count: i64,
    ) -> anyhow::Result<()> {
        let author: i64 = sqlx::query_scalar("SELECT id FROM accounts WHERE username = $1")
            .bind(author)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no account named {author}"))?;
        let kind = match container_kind {
            "reading_group" => "reflection",
            "consultation" | "micro_consultation" => "comment",
            other => anyhow::bail!("unknown container kind {other}"),
        };
        self.insert_generated(container_kind, container_id, author, kind, count)
            .await?;
        Ok(())
    }

    pub(super) async fn insert_generated(
        &self,
        container_kind: &str,
        container_id: i64,
        author: i64,
        kind: &str,
        count: i64,
    ) -> DbResult<()> {
        const BATCH: i64 = 50_000;
        let mut written = 0;
        let now = now_ms();
        while written < count {
            let n = BATCH.min(count - written);
            sqlx::query(
                "INSERT INTO posts (container_kind, container_id, author_id, kind, body_md, \
                     body_html, depth, created_at) \
                 WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < $1) \
                 SELECT $2, $3, $4, $5, '第 ' || CAST(i + $6 AS TEXT) || ' 条：' || $7, \
                     '<p>第 ' || CAST(i + $6 AS TEXT) || ' 条：' || $7 || '</p>', 0, $8 + i \
                 FROM seq",
            )
            .bind(n)
            .bind(container_kind)
            .bind(container_id)
            .bind(author)
            .bind(kind)
            .bind(written)
            .bind(BODY)
            .bind(now)
            .execute(&self.pool)
            .await?;
            written += n;
        }
        if container_kind == "reading_group" {
            sqlx::query("UPDATE reading_groups SET post_count = post_count + $1 WHERE id = $2")
                .bind(count)
                .bind(container_id)
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }
}
