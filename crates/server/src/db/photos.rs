//! Photos of suggestions and evidence of handling, stored in the database.

use super::attachments::NewFile;
use super::{now_ms, Db, DbResult};
use yishi_api::Photo;

/// What a photo belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoOwner {
    Suggestion(i64),
    FollowUp(i64),
    Micro(i64),
}

impl PhotoOwner {
    fn parts(self) -> (&'static str, i64) {
        match self {
            PhotoOwner::Suggestion(id) => ("suggestion", id),
            PhotoOwner::FollowUp(id) => ("follow_up", id),
            PhotoOwner::Micro(id) => ("micro_consultation", id),
        }
    }
}

#[derive(sqlx::FromRow)]
pub struct StoredPhoto {
    pub owner_kind: String,
    pub owner_id: i64,
    pub content_type: String,
    pub sha256: String,
    pub data: Vec<u8>,
}

impl StoredPhoto {
    pub fn owner(&self) -> Option<PhotoOwner> {
        match self.owner_kind.as_str() {
            "suggestion" => Some(PhotoOwner::Suggestion(self.owner_id)),
            "follow_up" => Some(PhotoOwner::FollowUp(self.owner_id)),
            "micro_consultation" => Some(PhotoOwner::Micro(self.owner_id)),
            _ => None,
        }
    }
}

/// Inserts a photo inside the caller's transaction (no per-owner limit: the caller checks).
pub async fn insert_photo_in(
    tx: &mut sqlx::AnyConnection,
    owner: PhotoOwner,
    file: &NewFile<'_>,
    uploaded_by: Option<yishi_api::AccountId>,
) -> DbResult<i64> {
    let (kind, id) = owner.parts();
    sqlx::query_scalar(
        "INSERT INTO photos (owner_kind, owner_id, filename, content_type, size_bytes, sha256, \
             data, uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(kind)
    .bind(id)
    .bind(file.filename)
    .bind(file.content_type)
    .bind(i64::try_from(file.data.len()).unwrap_or(i64::MAX))
    .bind(file.sha256)
    .bind(file.data.to_vec())
    .bind(uploaded_by.map(|a| a.0))
    .bind(now_ms())
    .fetch_one(tx)
    .await
}

impl Db {
    /// Adds a photo unless the owner already has `max`; `None` when full.
    pub async fn add_photo(
        &self,
        owner: PhotoOwner,
        file: &NewFile<'_>,
        max: i64,
    ) -> DbResult<Option<i64>> {
        let (kind, id) = owner.parts();
        // One statement counts and inserts, so concurrent uploads cannot pass the limit.
        let photo: Option<i64> = sqlx::query_scalar(
            "INSERT INTO photos (owner_kind, owner_id, filename, content_type, size_bytes, sha256, \
                 data, uploaded_by, created_at) \
             SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9 \
             WHERE (SELECT COUNT(*) FROM photos WHERE owner_kind = $1 AND owner_id = $2) < $10 \
             RETURNING id",
        )
        .bind(kind)
        .bind(id)
        .bind(file.filename)
        .bind(file.content_type)
        .bind(i64::try_from(file.data.len()).unwrap_or(i64::MAX))
        .bind(file.sha256)
        .bind(file.data.to_vec())
        .bind(file.uploaded_by.0)
        .bind(now_ms())
        .bind(max)
        .fetch_optional(&self.pool)
        .await?;
        Ok(photo)
    }

    pub async fn photos(&self, owner: PhotoOwner) -> DbResult<Vec<Photo>> {
        let (kind, id) = owner.parts();
        let rows: Vec<(i64, String, Option<String>, i64)> = sqlx::query_as(
            "SELECT p.id, p.filename, a.display_name, p.created_at FROM photos p \
             LEFT JOIN accounts a ON a.id = p.uploaded_by \
             WHERE p.owner_kind = $1 AND p.owner_id = $2 ORDER BY p.id",
        )
        .bind(kind)
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, filename, uploaded_by, created_at)| Photo {
                id,
                filename,
                uploaded_by,
                created_at,
            })
            .collect())
    }

    pub async fn photo(&self, id: i64) -> DbResult<Option<StoredPhoto>> {
        sqlx::query_as::<_, StoredPhoto>(
            "SELECT owner_kind, owner_id, content_type, sha256, data FROM photos WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await
    }
}
