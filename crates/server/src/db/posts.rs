//! The one post model: insert (with its live event), list, likes.

use super::{events, now_ms, Db, DbResult, Engine};
use sqlx::AnyConnection;
use yishi_api::*;

#[derive(Clone, sqlx::FromRow)]
pub(crate) struct PostRow {
    pub(crate) id: i64,
    pub(crate) author_id: i64,
    pub(crate) author_name: String,
    pub(crate) kind: String,
    pub(crate) body_html: String,
    pub(crate) parent_id: Option<i64>,
    pub(crate) like_count: i64,
    pub(crate) featured: i64,
    pub(crate) created_at: i64,
    pub(crate) edited_at: Option<i64>,
    pub(crate) chapter_id: Option<i64>,
    pub(crate) quote_text: Option<String>,
    pub(crate) quote_chapter: Option<String>,
    pub(crate) quote_page: Option<String>,
    pub(crate) deleted_at: Option<i64>,
    pub(crate) depth: i64,
    pub(crate) root_id: Option<i64>,
    pub(crate) pending: i64,
    pub(crate) hidden_reason: Option<String>,
}

impl PostRow {
    pub(crate) fn into_api(self) -> DbResult<Post> {
        let deleted = self.deleted_at.is_some();
        let hidden = self.hidden_reason.is_some();
        // Removed or hidden posts keep their place but carry nothing of what they said.
        let blank = deleted || hidden;
        // A removed post keeps its place (replies hang below it) but shows nothing.
        let quote = match (blank, self.quote_text) {
            (false, Some(text)) => Some(Quote {
                text,
                chapter: self.quote_chapter.unwrap_or_default(),
                page: self.quote_page.unwrap_or_default(),
            }),
            _ => None,
        };
        Ok(Post {
            id: self.id,
            author_id: AccountId(self.author_id),
            author_name: self.author_name,
            kind: PostKind::parse(&self.kind)
                .ok_or_else(|| sqlx::Error::Decode("unknown post kind".into()))?,
            body_html: if blank { String::new() } else { self.body_html },
            parent_id: self.parent_id,
            like_count: self.like_count,
            featured: self.featured != 0,
            created_at: self.created_at,
            edited_at: self.edited_at,
            chapter_id: self.chapter_id,
            quote,
            deleted,
            pending: self.pending != 0,
            hidden,
        })
    }
}

pub(crate) const SELECT: &str =
    "SELECT p.id, p.author_id, a.display_name AS author_name, p.kind, p.body_html, \
     p.parent_id, p.like_count, p.featured, p.created_at, p.edited_at, p.chapter_id, \
     p.quote_text, p.quote_chapter, p.quote_page, p.deleted_at, p.depth, p.root_id, p.pending, p.hidden_reason \
     FROM posts p JOIN accounts a ON a.id = p.author_id";

/// Where a post lives: the area's container and its live topic.
#[derive(Debug, Clone, Copy)]
pub struct Container {
    pub kind: &'static str,
    pub id: i64,
    pub topic: Topic,
}

impl Container {
    /// The container of a stored post, from its `container_kind`.
    pub fn of(kind: &str, id: i64) -> Option<Container> {
        match kind {
            "consultation" => Some(Container::consultation(id)),
            "micro_consultation" => Some(Container::micro(id)),
            READING_GROUP => Some(Container::reading(id)),
            _ => None,
        }
    }

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

    pub fn reading(id: i64) -> Container {
        Container {
            kind: READING_GROUP,
            id,
            topic: Topic::Reading(id),
        }
    }
}

/// The container kind of reading-group posts; these groups keep a count of visible posts.
pub const READING_GROUP: &str = "reading_group";

/// What a post's checks need to know about an existing post.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PostRef {
    pub id: i64,
    pub container_kind: String,
    pub container_id: i64,
    pub kind: String,
    pub parent_id: Option<i64>,
    pub author_id: i64,
    pub depth: i64,
    pub root_id: Option<i64>,
    pub created_at: i64,
}

/// A post to insert; the HTML is already rendered and sanitised.
pub struct NewPostRecord<'a> {
    pub author: AccountId,
    pub kind: PostKind,
    pub body_md: &'a str,
    pub body_html: &'a str,
    pub parent_id: Option<i64>,
    pub chapter_id: Option<i64>,
    pub quote: Option<Quote>,
    /// The top-level post of the thread (replies only) and the reply level (0 at the top).
    pub root_id: Option<i64>,
    pub depth: i64,
}

pub(crate) async fn post_by_id(conn: &mut AnyConnection, id: i64) -> DbResult<Post> {
    sqlx::query_as::<_, PostRow>(&format!("{SELECT} WHERE p.id = $1"))
        .bind(id)
        .fetch_one(&mut *conn)
        .await?
        .into_api()
}

/// The duty-point source a visible post earns (issue 7's ledger), if any.
fn points_for(
    container_kind: &str,
    kind: PostKind,
    post: i64,
    container: i64,
) -> Option<(DutySource, &'static str, i64)> {
    match (container_kind, kind) {
        ("consultation", PostKind::Question) => Some((DutySource::Question, "post", post)),
        (READING_GROUP, PostKind::Reflection) => {
            Some((DutySource::ReadingReflection, "post", post))
        }
        ("micro_consultation", PostKind::Comment) => {
            Some((DutySource::MicroTakingPart, "micro", container))
        }
        _ => None,
    }
}

/// What becoming visible does, in the caller's transaction: the group's count, duty points,
/// the search index, the live event and the notifications to the people it concerns. Run
/// when a moderator approves a held post or restores a hidden one; a post written visible
/// goes through [`announce`] from [`insert_post`].
pub(crate) async fn publish(
    tx: &mut AnyConnection,
    engine: Engine,
    container: Container,
    id: i64,
    tell_people: bool,
) -> DbResult<Post> {
    let created = post_by_id(tx, id).await?;
    let zone = super::duty::time_zone(tx).await?;
    let published = Announced {
        container,
        created: &created,
        body_md: None,
        tell_people,
    };
    announce(tx, engine, zone, &[published]).await?;
    Ok(created)
}

/// A post becoming visible, as [`announce`] takes it.
struct Announced<'a> {
    container: Container,
    /// Its stored form.
    created: &'a Post,
    /// Its text when the caller has it (a post just written), else the index re-reads it.
    body_md: Option<&'a str>,
    tell_people: bool,
}

/// [`publish`] for posts whose stored form the caller holds, in few statements whatever
/// their number (the SQLite post writer announces a whole batch at once); `zone` is the
/// committee's time zone (the year of points and of the search entry).
async fn announce(
    tx: &mut AnyConnection,
    engine: Engine,
    zone: chrono_tz::Tz,
    posts: &[Announced<'_>],
) -> DbResult<()> {
    let mut counts: Vec<(i64, i64)> = Vec::new();
    for p in posts.iter().filter(|p| p.container.kind == READING_GROUP) {
        match counts
            .iter_mut()
            .find(|(group, _)| *group == p.container.id)
        {
            Some((_, n)) => *n += 1,
            None => counts.push((p.container.id, 1)),
        }
    }
    for (group, n) in counts {
        sqlx::query("UPDATE reading_groups SET post_count = post_count + $1 WHERE id = $2")
            .bind(n)
            .bind(group)
            .execute(&mut *tx)
            .await?;
    }
    // One by one: an award reads the member's earlier awards, which may be in this batch.
    for p in posts {
        let created = p.created;
        if let Some((source, ref_kind, ref_id)) =
            points_for(p.container.kind, created.kind, created.id, p.container.id)
        {
            super::duty::award_in(
                tx,
                super::duty::now_award(created.author_id.0, source, ref_kind, ref_id),
                zone,
            )
            .await?;
        }
    }
    let mut new_entries = Vec::new();
    for p in posts {
        match p.body_md {
            Some(text) => new_entries.push((p.container, p.created, text)),
            None => super::search::reindex(tx, super::search::DocRef::Post(p.created.id)).await?,
        }
    }
    super::search::index_new_posts(tx, zone, &new_entries).await?;
    let created: Vec<EventKind> = posts
        .iter()
        .map(|p| EventKind::PostCreated {
            post: p.created.clone(),
        })
        .collect();
    let logged: Vec<(Topic, &EventKind)> = posts
        .iter()
        .zip(&created)
        .map(|(p, event)| (p.container.topic, event))
        .collect();
    events::append_many(tx, engine, &logged).await?;
    for p in posts.iter().filter(|p| p.tell_people) {
        super::notifications::on_post_published(tx, engine, p.container, p.created).await?;
    }
    Ok(())
}

/// Takes back what [`publish`] gave when a visible post is hidden: the count, the points, the
/// search entry.
pub(crate) async fn unpublish(
    tx: &mut AnyConnection,
    container_kind: &str,
    container_id: i64,
    post: &PostRef,
) -> DbResult<()> {
    if container_kind == READING_GROUP {
        sqlx::query("UPDATE reading_groups SET post_count = post_count - 1 WHERE id = $1")
            .bind(container_id)
            .execute(&mut *tx)
            .await?;
    }
    for source in [
        DutySource::Question,
        DutySource::ReadingReflection,
        DutySource::ReadingFeatured,
    ] {
        super::duty::reverse(
            tx,
            super::duty::now_award(post.author_id, source, "post", post.id),
        )
        .await?;
    }
    super::search::reindex(tx, super::search::DocRef::Post(post.id)).await
}

impl Db {
    /// Writes a post with what publishing it brings (see [`insert_post`]), answered once it is
    /// committed. On SQLite posts sent together share one transaction (`post_writer`).
    pub async fn create_post(
        &self,
        container: Container,
        post: &NewPostRecord<'_>,
    ) -> DbResult<Post> {
        // Decided before the write transaction, on any connection, so that the one SQLite
        // writer spends its time writing. A word listed or a container switched to
        // pre-moderation while this post is in flight applies from the next post, as it would
        // had the post come a moment earlier.
        let checked = match &post.quote {
            Some(q) => format!("{}\n{}", post.body_md, q.text),
            None => post.body_md.to_owned(),
        };
        let decided = {
            let mut conn = self.pool.acquire().await?;
            super::moderation::new_post_facts(&mut conn, container, post.author, &checked).await?
        };
        if self.engine == Engine::Sqlite {
            return self
                .post_writer
                .write(&self.pool, container, post, decided, &self.posts_committed)
                .await;
        }
        let mut tx = self.begin_write().await?;
        let new = NewPost {
            container,
            record: post,
            decided: &decided,
        };
        let created = insert_post(&mut tx, self.engine, new).await?;
        tx.commit().await?;
        self.posts_committed.committed();
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
             AND p.pending = 0";
        // Kept by triggers (migration 0015), so a page costs the same in any size of thread.
        let total: i64 = sqlx::query_scalar(
            "SELECT visible FROM container_post_counts \
             WHERE container_kind = $1 AND container_id = $2",
        )
        .bind(container.kind)
        .bind(container.id)
        .fetch_optional(&self.pool)
        .await?
        .unwrap_or(0);
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

    /// A post others may see (not removed, hidden or waiting for a moderator): what replies,
    /// likes, reports, edits and features act on. A held post is left alone until decided.
    pub async fn post_ref(&self, id: i64) -> DbResult<Option<PostRef>> {
        sqlx::query_as::<_, PostRef>(
            "SELECT id, container_kind, container_id, kind, parent_id, author_id, depth, root_id, \
                 created_at FROM posts \
             WHERE id = $1 AND deleted_at IS NULL AND hidden_reason IS NULL AND pending = 0",
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

/// What is read and decided for a new post before its write transaction.
pub(crate) struct Decided {
    /// Why the post waits for a moderator (pre-moderated container, or a listed word), if it
    /// does: only its author and staff see it until approved.
    pub(crate) hold: Option<QueueReason>,
    /// The author's display name, as the post shows it.
    pub(crate) name: String,
    /// The committee's time zone: the year of points and of the search entry.
    pub(crate) zone: chrono_tz::Tz,
}

/// A new post with what was decided for it before its write.
pub(crate) struct NewPost<'a> {
    pub(crate) container: Container,
    pub(crate) record: &'a NewPostRecord<'a>,
    pub(crate) decided: &'a Decided,
}

/// Inserts a post in the caller's transaction: held for moderation when `decided.hold` says
/// so, otherwise published at once (see [`announce`]).
pub(crate) async fn insert_post(
    tx: &mut AnyConnection,
    engine: Engine,
    post: NewPost<'_>,
) -> DbResult<Post> {
    let mut created = insert_posts(tx, engine, &[post]).await?;
    created.pop().ok_or(sqlx::Error::RowNotFound)
}

/// [`insert_post`] for several posts in a fixed number of statements (one insert of all
/// the rows, then [`announce`]), plus one per point award and reply notice: the SQLite post
/// writer's batch. The created posts, in the order given.
pub(crate) async fn insert_posts(
    tx: &mut AnyConnection,
    engine: Engine,
    posts: &[NewPost<'_>],
) -> DbResult<Vec<Post>> {
    let Some(first) = posts.first() else {
        return Ok(Vec::new());
    };
    let created_at = now_ms();
    let sql = format!(
        "INSERT INTO posts (container_kind, container_id, author_id, kind, body_md, body_html, \
             parent_id, chapter_id, quote_text, quote_chapter, quote_page, root_id, depth, \
             created_at, pending, pending_reason) \
         VALUES {} RETURNING id",
        super::value_rows(posts.len(), 16)
    );
    let mut insert = sqlx::query_scalar(&sql);
    for NewPost {
        container,
        record: post,
        decided,
    } in posts
    {
        let quote = post.quote.as_ref();
        insert = insert
            .bind(container.kind)
            .bind(container.id)
            .bind(post.author.0)
            .bind(post.kind.as_str())
            .bind(post.body_md)
            .bind(post.body_html)
            .bind(post.parent_id)
            .bind(post.chapter_id)
            .bind(quote.map(|q| q.text.as_str()))
            .bind(quote.map(|q| q.chapter.as_str()))
            .bind(quote.map(|q| q.page.as_str()))
            .bind(post.root_id)
            .bind(post.depth)
            .bind(created_at)
            .bind(i64::from(decided.hold.is_some()))
            .bind(decided.hold.map(|h| h.as_str()));
    }
    let mut ids: Vec<i64> = insert.fetch_all(&mut *tx).await?;
    if ids.len() != posts.len() {
        return Err(sqlx::Error::RowNotFound);
    }
    // Rows of one insert take increasing ids in the order listed, one after the other (one
    // writer at a time); RETURNING may list them in any order. Should a gap ever appear, the
    // pairing is not certain: the error rolls the batch back and each post is written alone.
    ids.sort_unstable();
    if ids
        .last()
        .zip(ids.first())
        .map(|(last, first)| last - first)
        != Some(ids.len() as i64 - 1)
    {
        return Err(sqlx::Error::Protocol(
            "the posts of one insert were not given consecutive ids".into(),
        ));
    }
    // The rows as `post_by_id` would read them back, built from what was just written: no
    // statement to re-read them.
    let created: Vec<Post> = posts
        .iter()
        .zip(ids)
        .map(|(new, id)| Post {
            id,
            author_id: new.record.author,
            author_name: new.decided.name.clone(),
            kind: new.record.kind,
            body_html: new.record.body_html.to_owned(),
            parent_id: new.record.parent_id,
            like_count: 0,
            featured: false,
            created_at,
            edited_at: None,
            chapter_id: new.record.chapter_id,
            quote: new.record.quote.clone(),
            deleted: false,
            pending: new.decided.hold.is_some(),
            hidden: false,
        })
        .collect();
    let published: Vec<Announced<'_>> = posts
        .iter()
        .zip(&created)
        .filter(|(new, _)| new.decided.hold.is_none())
        .map(|(new, created)| Announced {
            container: new.container,
            created,
            body_md: Some(new.record.body_md),
            tell_people: true,
        })
        .collect();
    // The zone read for the first post: a zone changed while a batch queued applies from the
    // next batch, as it would had the posts come a moment earlier.
    announce(tx, engine, first.decided.zone, &published).await?;
    Ok(created)
}
