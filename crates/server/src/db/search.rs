//! The search index: documents and their terms, kept in the same transaction as the change
//! that made them (a post written, edited, hidden, deleted; a container created or edited).

use super::{Db, DbResult};
use crate::search;
use chrono::{Datelike, TimeZone};
use sqlx::AnyConnection;
use yishi_api::SearchKind;

/// Longest body text kept for snippets; terms cover the whole text.
const MAX_BODY_CHARS: usize = 4000;
/// Terms per insert statement (well under both engines' parameter limits).
const TERMS_PER_INSERT: usize = 200;
/// Most candidates ranked for one query; documented in docs/architecture.md.
pub const MAX_CANDIDATES: i64 = 2000;

/// Something searchable, named by what it is.
#[derive(Debug, Clone, Copy)]
pub enum DocRef {
    Consultation(i64),
    Micro(i64),
    ReadingGroup(i64),
    Suggestion(i64),
    /// Any post; its container decides its kind.
    Post(i64),
}

/// A document as the index stores it.
struct Doc {
    kind: SearchKind,
    id: i64,
    gate_kind: &'static str,
    gate_id: i64,
    title: String,
    body: String,
    created_at: i64,
}

#[derive(sqlx::FromRow)]
struct Source {
    id: i64,
    title: String,
    body: String,
    created_at: i64,
}

#[derive(sqlx::FromRow)]
struct PostSource {
    id: i64,
    container_kind: String,
    container_id: i64,
    body_md: String,
    created_at: i64,
    visible: i64,
}

/// Re-reads `what` inside the caller's transaction and makes the index match it: stored when
/// it exists and may be shown, removed otherwise (deleted, hidden, pending posts).
pub async fn reindex(conn: &mut AnyConnection, what: DocRef) -> DbResult<()> {
    let (kind, id) = match what {
        DocRef::Consultation(id) => (SearchKind::Consultation, id),
        DocRef::Micro(id) => (SearchKind::Micro, id),
        DocRef::ReadingGroup(id) => (SearchKind::ReadingGroup, id),
        DocRef::Suggestion(id) => (SearchKind::Suggestion, id),
        DocRef::Post(id) => return reindex_post(conn, id).await,
    };
    let (sql, gate_kind) = match kind {
        SearchKind::Consultation => (
            "SELECT id, title, description_md AS body, created_at FROM consultations WHERE id = $1",
            "consultation",
        ),
        SearchKind::Micro => (
            "SELECT id, title, description || ' ' || location AS body, created_at \
             FROM micro_consultations WHERE id = $1",
            "micro_consultation",
        ),
        SearchKind::ReadingGroup => (
            "SELECT id, name AS title, theme || ' ' || description_md AS body, created_at \
             FROM reading_groups WHERE id = $1",
            "reading_group",
        ),
        _ => (
            "SELECT id, title, body || ' ' || COALESCE(location, '') AS body, created_at \
             FROM suggestions WHERE id = $1",
            "suggestion",
        ),
    };
    let source: Option<Source> = sqlx::query_as(sql)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    match source {
        Some(s) => {
            let doc = Doc {
                kind,
                id: s.id,
                gate_kind,
                gate_id: s.id,
                title: s.title,
                body: crate::markdown::plain_text(&s.body),
                created_at: s.created_at,
            };
            let zone = super::duty::time_zone(conn).await?;
            store(conn, &doc, zone).await
        }
        None => remove(conn, kind, id).await,
    }
}

fn post_kind(container_kind: &str) -> Option<SearchKind> {
    match container_kind {
        "consultation" => Some(SearchKind::ConsultationPost),
        "micro_consultation" => Some(SearchKind::MicroPost),
        super::posts::READING_GROUP => Some(SearchKind::ReadingPost),
        _ => None,
    }
}

async fn reindex_post(conn: &mut AnyConnection, id: i64) -> DbResult<()> {
    let source: Option<PostSource> = sqlx::query_as(
        "SELECT id, container_kind, container_id, body_md, created_at, \
             CASE WHEN deleted_at IS NULL AND hidden_reason IS NULL AND pending = 0 \
             THEN 1 ELSE 0 END AS visible \
         FROM posts WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(p) = source else { return Ok(()) };
    let Some(kind) = post_kind(&p.container_kind) else {
        return Ok(());
    };
    if p.visible == 0 {
        return remove(conn, kind, id).await;
    }
    let zone = super::duty::time_zone(conn).await?;
    store(
        conn,
        &post_doc(kind, p.id, p.container_id, &p.body_md, p.created_at),
        zone,
    )
    .await
}

/// Indexes posts just written and visible, from what their writer knows: no re-read.
pub(crate) async fn index_new_posts(
    conn: &mut AnyConnection,
    zone: chrono_tz::Tz,
    posts: &[(super::posts::Container, &yishi_api::Post, &str)],
) -> DbResult<()> {
    let docs: Vec<Doc> = posts
        .iter()
        .filter_map(|(container, post, body_md)| {
            let kind = post_kind(container.kind)?;
            Some(post_doc(
                kind,
                post.id,
                container.id,
                body_md,
                post.created_at,
            ))
        })
        .collect();
    store_many(conn, &docs, zone).await
}

fn post_doc(kind: SearchKind, id: i64, container_id: i64, body_md: &str, created_at: i64) -> Doc {
    Doc {
        kind,
        id,
        gate_kind: match kind {
            SearchKind::ConsultationPost => "consultation",
            SearchKind::MicroPost => "micro_consultation",
            _ => super::posts::READING_GROUP,
        },
        gate_id: container_id,
        title: String::new(),
        body: crate::markdown::plain_text(body_md),
        created_at,
    }
}

async fn remove(conn: &mut AnyConnection, kind: SearchKind, id: i64) -> DbResult<()> {
    let doc: Option<i64> =
        sqlx::query_scalar("SELECT id FROM search_docs WHERE doc_kind = $1 AND doc_id = $2")
            .bind(kind.as_str())
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    if let Some(doc) = doc {
        sqlx::query("DELETE FROM search_terms WHERE doc = $1")
            .bind(doc)
            .execute(&mut *conn)
            .await?;
        sqlx::query("DELETE FROM search_docs WHERE id = $1")
            .bind(doc)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

async fn store(conn: &mut AnyConnection, doc: &Doc, zone: chrono_tz::Tz) -> DbResult<()> {
    store_many(conn, std::slice::from_ref(doc), zone).await
}

/// Stores documents, replacing what the index held for them, in three statements plus one
/// per `TERMS_PER_INSERT` terms whatever their number: the SQLite post writer indexes a whole
/// batch of posts at once. Each document appears once in `docs`.
async fn store_many(conn: &mut AnyConnection, docs: &[Doc], zone: chrono_tz::Tz) -> DbResult<()> {
    if docs.is_empty() {
        return Ok(());
    }
    let year = |created_at| {
        zone.timestamp_millis_opt(created_at)
            .single()
            .map_or(1970, |t| i64::from(t.year()))
    };
    let sql = format!(
        "INSERT INTO search_docs (doc_kind, doc_id, gate_kind, gate_id, title, body, year, \
             created_at) VALUES {} \
         ON CONFLICT (doc_kind, doc_id) DO UPDATE SET gate_kind = excluded.gate_kind, \
             gate_id = excluded.gate_id, title = excluded.title, body = excluded.body, \
             year = excluded.year, created_at = excluded.created_at \
         RETURNING id, doc_kind, doc_id",
        super::value_rows(docs.len(), 8)
    );
    let mut upsert = sqlx::query_as(&sql);
    for doc in docs {
        let body: String = doc.body.chars().take(MAX_BODY_CHARS).collect();
        upsert = upsert
            .bind(doc.kind.as_str())
            .bind(doc.id)
            .bind(doc.gate_kind)
            .bind(doc.gate_id)
            .bind(&doc.title)
            .bind(body)
            .bind(year(doc.created_at))
            .bind(doc.created_at);
    }
    let rows: Vec<(i64, String, i64)> = upsert.fetch_all(&mut *conn).await?;
    let row_of = |doc: &Doc| {
        rows.iter()
            .find(|(_, kind, id)| kind == doc.kind.as_str() && *id == doc.id)
            .map(|(row, _, _)| *row)
            .ok_or(sqlx::Error::RowNotFound)
    };
    let stored = docs.iter().map(row_of).collect::<DbResult<Vec<i64>>>()?;
    let sql = format!(
        "DELETE FROM search_terms WHERE doc IN ({})",
        super::params(1, stored.len())
    );
    let mut stale = sqlx::query(&sql);
    for row in &stored {
        stale = stale.bind(*row);
    }
    stale.execute(&mut *conn).await?;
    let mut terms: Vec<(String, i64, bool)> = Vec::new();
    for (doc, row) in docs.iter().zip(&stored) {
        let title_terms = search::index_terms(&doc.title);
        let mut words = search::index_terms(&doc.body);
        words.extend(title_terms.iter().cloned());
        terms.extend(words.into_iter().map(|t| {
            let in_title = title_terms.contains(&t);
            (t, *row, in_title)
        }));
    }
    for chunk in terms.chunks(TERMS_PER_INSERT) {
        let sql = format!(
            "INSERT INTO search_terms (term, doc, in_title) VALUES {}",
            super::value_rows(chunk.len(), 3)
        );
        let mut q = sqlx::query(&sql);
        for (term, row, in_title) in chunk {
            q = q.bind(term.as_str()).bind(*row).bind(i64::from(*in_title));
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// A document matching every query word, before the visibility check (its text is loaded
/// only for the page shown).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Candidate {
    pub doc: i64,
    pub doc_kind: String,
    pub doc_id: i64,
    pub gate_kind: String,
    pub gate_id: i64,
    pub created_at: i64,
    /// How many query words are in the title.
    pub title_hits: i64,
}

/// Filters of a search besides its words.
#[derive(Debug, Clone, Copy, Default)]
pub struct SearchFilter {
    pub kind: Option<SearchKind>,
    pub year: Option<i64>,
}

impl Db {
    /// Documents containing every term, ranked: more query words in the title first, then
    /// newer first, then by id (the order is decided here, not by either engine).
    pub async fn search_candidates(
        &self,
        terms: &[String],
        filter: SearchFilter,
    ) -> DbResult<Vec<Candidate>> {
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let n = terms.len();
        let mut sql = format!(
            "SELECT d.id AS doc, d.doc_kind, d.doc_id, d.gate_kind, d.gate_id, d.created_at, \
                 m.title_hits \
             FROM (SELECT doc, CAST(SUM(in_title) AS BIGINT) AS title_hits FROM search_terms \
                   WHERE term IN ({}) GROUP BY doc HAVING COUNT(*) = {n}) m \
             JOIN search_docs d ON d.id = m.doc WHERE 1 = 1",
            super::params(1, n)
        );
        let mut next = n + 1;
        if filter.kind.is_some() {
            sql.push_str(&format!(" AND d.doc_kind = ${next}"));
            next += 1;
        }
        if filter.year.is_some() {
            sql.push_str(&format!(" AND d.year = ${next}"));
            next += 1;
        }
        sql.push_str(&format!(
            " ORDER BY m.title_hits DESC, d.created_at DESC, d.id DESC LIMIT ${next}"
        ));
        let mut q = sqlx::query_as::<_, Candidate>(&sql);
        for t in terms {
            q = q.bind(t.as_str());
        }
        if let Some(kind) = filter.kind {
            q = q.bind(kind.as_str());
        }
        if let Some(year) = filter.year {
            q = q.bind(year);
        }
        let mut rows = q.bind(MAX_CANDIDATES).fetch_all(&self.pool).await?;
        rows.sort_by(|a, b| {
            b.title_hits
                .cmp(&a.title_hits)
                .then(b.created_at.cmp(&a.created_at))
                .then(a.doc_kind.cmp(&b.doc_kind))
                .then(b.doc_id.cmp(&a.doc_id))
        });
        Ok(rows)
    }

    /// The stored title and text of documents, by index row id.
    pub async fn search_texts(
        &self,
        docs: &[i64],
    ) -> DbResult<std::collections::HashMap<i64, (String, String)>> {
        if docs.is_empty() {
            return Ok(Default::default());
        }
        let sql = format!(
            "SELECT id, title, body FROM search_docs WHERE id IN ({})",
            super::params(1, docs.len())
        );
        let mut q = sqlx::query_as::<_, (i64, String, String)>(&sql);
        for d in docs {
            q = q.bind(*d);
        }
        Ok(q.fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(|(id, title, body)| (id, (title, body)))
            .collect())
    }

    /// Rebuilds the whole index from the content tables (after an upgrade, or on demand).
    pub async fn rebuild_search_index(&self) -> DbResult<u64> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM search_terms")
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM search_docs")
            .execute(&mut *tx)
            .await?;
        let mut refs: Vec<DocRef> = Vec::new();
        for (sql, make) in [
            (
                "SELECT id FROM consultations",
                DocRef::Consultation as fn(i64) -> DocRef,
            ),
            ("SELECT id FROM micro_consultations", DocRef::Micro),
            ("SELECT id FROM reading_groups", DocRef::ReadingGroup),
            ("SELECT id FROM suggestions", DocRef::Suggestion),
            (
                "SELECT id FROM posts WHERE deleted_at IS NULL AND hidden_reason IS NULL \
                 AND pending = 0",
                DocRef::Post,
            ),
        ] {
            let ids: Vec<i64> = sqlx::query_scalar(sql).fetch_all(&mut *tx).await?;
            refs.extend(ids.into_iter().map(make));
        }
        let count = refs.len() as u64;
        for r in refs {
            reindex(&mut tx, r).await?;
        }
        tx.commit().await?;
        Ok(count)
    }

    /// True when the index is empty but there is content (a database from before search).
    pub async fn search_index_missing(&self) -> DbResult<bool> {
        let docs: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM (SELECT id FROM search_docs LIMIT 1) d")
                .fetch_one(&self.pool)
                .await?;
        let content: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM (SELECT id FROM consultations UNION ALL SELECT id FROM posts \
             UNION ALL SELECT id FROM reading_groups LIMIT 1) c",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(docs == 0 && content > 0)
    }
}
