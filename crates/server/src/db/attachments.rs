//! Background materials stored in the database.

use super::{now_ms, Db, DbResult};
use yishi_api::{AccountId, Attachment};

#[derive(sqlx::FromRow)]
struct AttachmentRow {
    id: i64,
    filename: String,
    content_type: String,
    size_bytes: i64,
    created_at: i64,
}

/// A file to send back.
#[derive(sqlx::FromRow)]
pub struct StoredFile {
    pub consultation_id: i64,
    pub filename: String,
    pub content_type: String,
    pub sha256: String,
    pub data: Vec<u8>,
}

pub struct NewFile<'a> {
    pub filename: &'a str,
    pub content_type: &'a str,
    pub sha256: &'a str,
    pub data: &'a [u8],
    pub uploaded_by: AccountId,
}

impl Db {
    pub async fn add_attachment(&self, consultation: i64, file: &NewFile<'_>) -> DbResult<i64> {
        sqlx::query_scalar(
            "INSERT INTO attachments (consultation_id, filename, content_type, size_bytes, sha256, \
                 data, uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(consultation)
        .bind(file.filename)
        .bind(file.content_type)
        .bind(i64::try_from(file.data.len()).unwrap_or(i64::MAX))
        .bind(file.sha256)
        .bind(file.data.to_vec())
        .bind(file.uploaded_by.0)
        .bind(now_ms())
        .fetch_one(&self.pool)
        .await
    }

    pub async fn attachments(&self, consultation: i64) -> DbResult<Vec<Attachment>> {
        let rows = sqlx::query_as::<_, AttachmentRow>(
            "SELECT id, filename, content_type, size_bytes, created_at FROM attachments \
             WHERE consultation_id = $1 ORDER BY id",
        )
        .bind(consultation)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| Attachment {
                id: r.id,
                filename: r.filename,
                content_type: r.content_type,
                size_bytes: r.size_bytes,
                created_at: r.created_at,
            })
            .collect())
    }

    pub async fn attachment_file(&self, id: i64) -> DbResult<Option<StoredFile>> {
        sqlx::query_as::<_, StoredFile>(
            "SELECT consultation_id, filename, content_type, sha256, data FROM attachments WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await
    }

    pub async fn attachment_consultation(&self, id: i64) -> DbResult<Option<i64>> {
        sqlx::query_scalar("SELECT consultation_id FROM attachments WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
    }

    pub async fn delete_attachment(&self, id: i64) -> DbResult<bool> {
        let done = sqlx::query("DELETE FROM attachments WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }
}
