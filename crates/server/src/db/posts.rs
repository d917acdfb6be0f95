//! The one post model: insert (with its live event), list, likes.

use super::{events, now_ms, Db, DbResult};
use yishi_api::*;

#[derive(sqlx::FromRow)]
struct PostRow {
    id: i64,
    author_id: i64,
    author_name: String,
    kind: String,
    body_html: String,
    parent_id: Option<i64>,
    like_count: i64,
    featured: i64,
    created_at: i64,
    edited_at: Option<i64>,
}

impl PostRow {
    fn into_api(self) -> DbResult<Post> {
        Ok(Post {
            id: self.id,
            author_id: AccountId(self.author_id),
            author_name: self.author_name,
            kind: PostKind::parse(&self.kind)
                .ok_or_else(|| sqlx::Error::Decode("unknown post kind".into()))?,
            body_html: self.body_html,
            parent_id: self.parent_id,
            like_count: self.like_count,
            featured: self.featured != 0,
            created_at: self.created_at,
            edited_at: self.edited_at,
        })
    }
}

const SELECT: &str =
    "SELECT p.id, p.author_id, a.display_name AS author_name, p.kind, p.body_html, \
     p.parent_id, p.like_count, p.featured, p.created_at, p.edited_at \
     FROM posts p JOIN accounts a ON a.id = p.author_id";

/// Where a post lives: the area's container and its live topic.
#[derive(Debug, Clone, Copy)]
pub struct Container {
    pub kind: &'static str,
    pub id: i64,
    pub topic: Topic,
}

impl Container {
    pub fn consultation(id: i64) -> Container {
        Container {
            kind: "consultation",
            id,
            topic: Topic::Consultation(id),
        }
    }

    pub fn micro(id: i64) -> Container {
        Container {
            kind: "micro_consultation",
            id,
            topic: Topic::Micro(id),
        }
    }
}

/// What a post's checks need to know about an existing post.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PostRef {
    pub id: i64,
    pub container_kind: String,
    pub container_id: i64,
    pub kind: String,
    pub parent_id: Option<i64>,
}

/// A post to insert; the HTML is already rendered and sanitised.
pub struct NewPostRecord<'a> {
    pub author: AccountId,
    pub kind: PostKind,
    pub body_md: &'a str,
    pub body_html: &'a str,
    pub parent_id: Option<i64>,
}

impl Db {
    /// Inserts a post and its `PostCreated` event in one transaction.
    pub async fn create_post(
        &self,
        container: Container,
        post: &NewPostRecord<'_>,
    ) -> DbResult<Post> {
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO posts (container_kind, container_id, author_id, kind, body_md, body_html, \
                 parent_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(container.kind)
        .bind(container.id)
        .bind(post.author.0)
        .bind(post.kind.as_str())
        .bind(post.body_md)
        .bind(post.body_html)
        .bind(post.parent_id)
        .bind(now_ms())
        .fetch_one(&mut *tx)
        .await?;
        let created = sqlx::query_as::<_, PostRow>(&format!("{SELECT} WHERE p.id = $1"))
            .bind(id)
            .fetch_one(&mut *tx)
            .await?
            .into_api()?;
        events::append(
            &mut tx,
            self.engine,
            container.topic,
            &EventKind::PostCreated {
                post: created.clone(),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Visible posts of a container in the order written, after the cursor id.
    pub async fn list_posts(
        &self,
        container: Container,
        after_id: i64,
        limit: u32,
    ) -> DbResult<(Vec<Post>, i64)> {
        let visible = "p.container_kind = $1 AND p.container_id = $2 AND p.deleted_at IS NULL \
             AND p.hidden_reason IS NULL AND p.pending = 0";
        let total: i64 =
            sqlx::query_scalar(&format!("SELECT COUNT(*) FROM posts p WHERE {visible}"))
                .bind(container.kind)
                .bind(container.id)
                .fetch_one(&self.pool)
                .await?;
        let rows = sqlx::query_as::<_, PostRow>(&format!(
            "{SELECT} WHERE {visible} AND p.id > $3 ORDER BY p.id LIMIT $4"
        ))
        .bind(container.kind)
        .bind(container.id)
        .bind(after_id)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        let posts = rows
            .into_iter()
            .map(PostRow::into_api)
            .collect::<DbResult<Vec<_>>>()?;
        Ok((posts, total))
    }

    pub async fn post_ref(&self, id: i64) -> DbResult<Option<PostRef>> {
        sqlx::query_as::<_, PostRef>(
            "SELECT id, container_kind, container_id, kind, parent_id FROM posts \
             WHERE id = $1 AND deleted_at IS NULL AND hidden_reason IS NULL",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await
    }

    /// Likes (`like = true`) or unlikes a post, once per account; returns the new count and
    /// tells the container's live topic.
    pub async fn set_like(
        &self,
        post: &PostRef,
        topic: Topic,
        account: AccountId,
        like: bool,
    ) -> DbResult<i64> {
        let mut tx = self.pool.begin().await?;
        if like {
            sqlx::query(
                "INSERT INTO post_likes (post_id, account_id, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(post.id)
            .bind(account.0)
            .bind(now_ms())
            .execute(&mut *tx)
            .await?;
        } else {
            sqlx::query("DELETE FROM post_likes WHERE post_id = $1 AND account_id = $2")
                .bind(post.id)
                .bind(account.0)
                .execute(&mut *tx)
                .await?;
        }
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM post_likes WHERE post_id = $1")
            .bind(post.id)
            .fetch_one(&mut *tx)
            .await?;
        sqlx::query("UPDATE posts SET like_count = $1 WHERE id = $2")
            .bind(count)
            .bind(post.id)
            .execute(&mut *tx)
            .await?;
        events::append(
            &mut tx,
            self.engine,
            topic,
            &EventKind::PostLiked {
                post_id: post.id,
                like_count: count,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(count)
    }
}
