//! Reading groups: periods, books and covers, groups with their people and plan, threads
//! (keyset pages of top-level posts with their replies), read positions and check-ins.

use super::posts::{PostRow, SELECT as POST_SELECT};
use super::{now_ms, Db, DbResult};
use std::collections::HashMap;
use yishi_api::*;

fn bad(what: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("unknown {what} in database").into())
}

fn visibility_text(v: Visibility) -> &'static str {
    match v {
        Visibility::Public => "public",
        Visibility::Members => "members",
    }
}

/// Ids are numbers, so a list of them can be written into SQL as text safely.
fn id_list(ids: &[i64]) -> String {
    ids.iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GroupRow {
    pub id: i64,
    pub period_id: i64,
    pub period_name: String,
    pub starts_on: String,
    pub ends_on: String,
    pub name: String,
    pub theme: String,
    pub description_md: String,
    pub description_html: String,
    pub visibility: String,
    pub state: String,
    pub owner_id: i64,
    pub owner_name: String,
    pub post_count: i64,
    pub member_count: i64,
}

impl GroupRow {
    pub fn visibility(&self) -> Visibility {
        if self.visibility == "public" {
            Visibility::Public
        } else {
            Visibility::Members
        }
    }

    pub fn state(&self) -> DbResult<ReadingGroupState> {
        ReadingGroupState::parse(&self.state).ok_or_else(|| bad("group state"))
    }

    pub fn period(&self) -> ReadingPeriod {
        ReadingPeriod {
            id: self.period_id,
            name: self.period_name.clone(),
            starts_on: self.starts_on.clone(),
            ends_on: self.ends_on.clone(),
        }
    }
}

const GROUP_SELECT: &str =
    "SELECT g.id, g.period_id, p.name AS period_name, p.starts_on, p.ends_on, \
     g.name, g.theme, g.description_md, g.description_html, g.visibility, g.state, g.owner_id, \
     o.display_name AS owner_name, g.post_count, \
     (SELECT COUNT(*) FROM reading_group_members m WHERE m.group_id = g.id) AS member_count \
     FROM reading_groups g JOIN reading_periods p ON p.id = g.period_id \
     JOIN accounts o ON o.id = g.owner_id";

/// A checked group form, ready to store.
pub struct GroupRecord<'a> {
    pub name: &'a str,
    pub theme: &'a str,
    pub description_md: &'a str,
    pub description_html: &'a str,
    pub period_id: i64,
    pub visibility: Visibility,
    pub owner: AccountId,
    pub leaders: &'a [AccountId],
    pub book_ids: &'a [i64],
    pub plan: &'a [PlanEntry],
}

/// Which groups a list shows.
#[derive(Debug, Default)]
pub struct GroupFilter {
    /// Anonymous readers see public groups only.
    pub public_only: bool,
    pub state: Option<ReadingGroupState>,
    pub period_id: Option<i64>,
    /// Only groups this account belongs to.
    pub member_of: Option<AccountId>,
}

/// Which top-level posts a thread page holds.
#[derive(Debug, Clone, Copy)]
pub enum ThreadWindow {
    /// The oldest posts after this id (0: from the start).
    After(i64),
    /// The posts just before this id (`i64::MAX`: the newest).
    Before(i64),
}

#[derive(Debug, Clone, Copy, Default)]
pub struct ThreadFilter {
    pub featured: bool,
    pub chapter_id: Option<i64>,
}

/// A post in thread order.
pub struct ThreadItem {
    pub post: Post,
    pub depth: i64,
    /// Replies beyond those shown (the post's own page shows more).
    pub more_replies: bool,
}

/// Replies shown under each top-level post of a thread page.
pub const REPLIES_PER_POST: i64 = 50;
/// Replies shown on a post's own page.
pub const REPLIES_ON_POST_PAGE: i64 = 1_000;

pub struct ThreadRows {
    /// Matching posts of the page in id order, each followed by its replies (depth-first).
    pub entries: Vec<ThreadItem>,
    pub has_earlier: bool,
    pub has_later: bool,
}

impl Db {
    pub async fn create_period(&self, input: &ReadingPeriodInput) -> DbResult<ReadingPeriod> {
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO reading_periods (name, starts_on, ends_on, created_at) \
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(&input.name)
        .bind(&input.starts_on)
        .bind(&input.ends_on)
        .bind(now_ms())
        .fetch_one(&mut *tx)
        .await?;
        super::audit::record(
            &mut tx,
            "reading_period.create",
            "reading_period",
            Some(id),
            "",
            &input.name,
        )
        .await?;
        tx.commit().await?;
        Ok(ReadingPeriod {
            id,
            name: input.name.clone(),
            starts_on: input.starts_on.clone(),
            ends_on: input.ends_on.clone(),
        })
    }

    pub async fn periods(&self) -> DbResult<Vec<ReadingPeriod>> {
        let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
            "SELECT id, name, starts_on, ends_on FROM reading_periods ORDER BY starts_on DESC, id DESC",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, name, starts_on, ends_on)| ReadingPeriod {
                id,
                name,
                starts_on,
                ends_on,
            })
            .collect())
    }

    pub async fn period_exists(&self, id: i64) -> DbResult<bool> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM reading_periods WHERE id = $1")
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
        Ok(n > 0)
    }

    /// Stores a book with its chapters (already checked).
    pub async fn create_book(&self, input: &BookInput, by: AccountId) -> DbResult<i64> {
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO books (title, author, publisher, year, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(&input.title)
        .bind(&input.author)
        .bind(&input.publisher)
        .bind(input.year)
        .bind(by.0)
        .bind(now_ms())
        .fetch_one(&mut *tx)
        .await?;
        for (i, title) in input.chapters.iter().enumerate() {
            sqlx::query("INSERT INTO book_chapters (book_id, position, title) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(i as i64 + 1)
                .bind(title)
                .execute(&mut *tx)
                .await?;
        }
        super::audit::record(&mut tx, "book.create", "book", Some(id), "", &input.title).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Books by id, with chapters, in the order of `ids` (all books when `ids` is `None`).
    pub async fn books(&self, ids: Option<&[i64]>) -> DbResult<Vec<Book>> {
        let filter = match ids {
            Some([]) => return Ok(Vec::new()),
            Some(ids) => format!("WHERE id IN ({})", id_list(ids)),
            None => String::new(),
        };
        type BookTuple = (i64, String, String, String, Option<i64>, Option<String>);
        let rows: Vec<BookTuple> = sqlx::query_as(&format!(
            "SELECT id, title, author, publisher, year, cover_sha256 FROM books {filter} ORDER BY id DESC"
        ))
        .fetch_all(&self.pool)
        .await?;
        let book_ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
        let chapters: Vec<(i64, i64, i64, String)> = if book_ids.is_empty() {
            Vec::new()
        } else {
            sqlx::query_as(&format!(
                "SELECT book_id, id, position, title FROM book_chapters WHERE book_id IN ({}) \
                 ORDER BY book_id, position",
                id_list(&book_ids)
            ))
            .fetch_all(&self.pool)
            .await?
        };
        let mut books: Vec<Book> = rows
            .into_iter()
            .map(|(id, title, author, publisher, year, sha)| Book {
                id,
                title,
                author,
                publisher,
                year,
                cover_url: sha
                    .map(|s| format!("/api/v1/books/{id}/cover?v={}", s.get(..12).unwrap_or(&s))),
                chapters: chapters
                    .iter()
                    .filter(|c| c.0 == id)
                    .map(|(_, cid, position, title)| Chapter {
                        id: *cid,
                        position: *position,
                        title: title.clone(),
                    })
                    .collect(),
            })
            .collect();
        if let Some(ids) = ids {
            books.sort_by_key(|b| ids.iter().position(|i| *i == b.id));
        }
        Ok(books)
    }

    pub async fn set_cover(
        &self,
        book: i64,
        content_type: &str,
        sha256: &str,
        data: &[u8],
    ) -> DbResult<bool> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE books SET cover_content_type = $1, cover_sha256 = $2, cover_data = $3 \
             WHERE id = $4",
        )
        .bind(content_type)
        .bind(sha256)
        .bind(data)
        .bind(book)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() > 0 {
            super::audit::record(&mut tx, "book.cover", "book", Some(book), "", sha256).await?;
        }
        tx.commit().await?;
        Ok(done.rows_affected() > 0)
    }

    /// The cover's type, hash and bytes.
    pub async fn cover(&self, book: i64) -> DbResult<Option<(String, String, Vec<u8>)>> {
        type CoverRow = (Option<String>, Option<String>, Option<Vec<u8>>);
        let row: Option<CoverRow> = sqlx::query_as(
            "SELECT cover_content_type, cover_sha256, cover_data FROM books WHERE id = $1",
        )
        .bind(book)
        .fetch_optional(&self.pool)
        .await?;
        Ok(match row {
            Some((Some(t), Some(s), Some(d))) => Some((t, s, d)),
            _ => None,
        })
    }

    /// Whether some public group reads the book (its cover may then be shown to anyone).
    pub async fn book_in_public_group(&self, book: i64) -> DbResult<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM reading_group_books b JOIN reading_groups g ON g.id = b.group_id \
             WHERE b.book_id = $1 AND g.visibility = 'public'",
        )
        .bind(book)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    /// The chapters of the given books (to check a plan or a post's chapter).
    pub async fn chapters_of_books(&self, books: &[i64]) -> DbResult<Vec<(i64, String)>> {
        if books.is_empty() {
            return Ok(Vec::new());
        }
        sqlx::query_as(&format!(
            "SELECT id, title FROM book_chapters WHERE book_id IN ({})",
            id_list(books)
        ))
        .fetch_all(&self.pool)
        .await
    }

    /// Creates (`id = None`) or replaces a group's fields, books, plan, owner and leaders in
    /// one transaction. Former leaders stay as members; a former owner too.
    pub async fn save_group(
        &self,
        id: Option<i64>,
        g: &GroupRecord<'_>,
        by: AccountId,
    ) -> DbResult<i64> {
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let id = match id {
            None => {
                sqlx::query_scalar(
                    "INSERT INTO reading_groups (period_id, name, theme, description_md, \
                         description_html, visibility, owner_id, created_by, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
                )
                .bind(g.period_id)
                .bind(g.name)
                .bind(g.theme)
                .bind(g.description_md)
                .bind(g.description_html)
                .bind(visibility_text(g.visibility))
                .bind(g.owner.0)
                .bind(by.0)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?
            }
            Some(id) => {
                sqlx::query(
                    "UPDATE reading_groups SET period_id = $1, name = $2, theme = $3, \
                         description_md = $4, description_html = $5, visibility = $6, owner_id = $7, \
                         updated_at = $8 WHERE id = $9",
                )
                .bind(g.period_id)
                .bind(g.name)
                .bind(g.theme)
                .bind(g.description_md)
                .bind(g.description_html)
                .bind(visibility_text(g.visibility))
                .bind(g.owner.0)
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                for table in ["reading_group_books", "reading_plan"] {
                    sqlx::query(&format!("DELETE FROM {table} WHERE group_id = $1"))
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                }
                sqlx::query(
                    "UPDATE reading_group_members SET role = 'member' WHERE group_id = $1",
                )
                .bind(id)
                .execute(&mut *tx)
                .await?;
                id
            }
        };
        for (i, book) in g.book_ids.iter().enumerate() {
            sqlx::query(
                "INSERT INTO reading_group_books (group_id, book_id, position) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(book)
            .bind(i as i64)
            .execute(&mut *tx)
            .await?;
        }
        for entry in g.plan {
            sqlx::query(
                "INSERT INTO reading_plan (group_id, chapter_id, week) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(entry.chapter_id)
            .bind(entry.week)
            .execute(&mut *tx)
            .await?;
        }
        let people = std::iter::once((g.owner, GroupRole::Owner))
            .chain(g.leaders.iter().map(|l| (*l, GroupRole::Leader)))
            .filter(|(a, role)| *role == GroupRole::Owner || *a != g.owner);
        for (account, role) in people {
            sqlx::query(
                "INSERT INTO reading_group_members (group_id, account_id, role, joined_at) \
                 VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (group_id, account_id) DO UPDATE SET role = excluded.role",
            )
            .bind(id)
            .bind(account.0)
            .bind(role.as_str())
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        super::search::reindex(&mut tx, super::search::DocRef::ReadingGroup(id)).await?;
        super::audit::record(
            &mut tx,
            "reading_group.save",
            "reading_group",
            Some(id),
            "",
            g.name,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn group(&self, id: i64) -> DbResult<Option<GroupRow>> {
        sqlx::query_as::<_, GroupRow>(&format!("{GROUP_SELECT} WHERE g.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
    }

    /// A page of groups, newest first, and how many match.
    pub async fn groups(
        &self,
        filter: &GroupFilter,
        before: Option<i64>,
        limit: u32,
    ) -> DbResult<(Vec<GroupRow>, i64)> {
        let mut conditions = vec!["g.id < $1".to_owned()];
        if filter.public_only {
            conditions.push("g.visibility = 'public'".into());
        }
        if let Some(state) = filter.state {
            conditions.push(format!("g.state = '{}'", state.as_str()));
        }
        if let Some(period) = filter.period_id {
            conditions.push(format!("g.period_id = {period}"));
        }
        if let Some(account) = filter.member_of {
            conditions.push(format!(
                "EXISTS (SELECT 1 FROM reading_group_members m WHERE m.group_id = g.id \
                 AND m.account_id = {account})"
            ));
        }
        let condition = conditions.join(" AND ");
        let rows = sqlx::query_as::<_, GroupRow>(&format!(
            "{GROUP_SELECT} WHERE {condition} ORDER BY g.id DESC LIMIT $2"
        ))
        .bind(before.unwrap_or(i64::MAX))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        let total: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM reading_groups g WHERE {condition}"
        ))
        .bind(i64::MAX)
        .fetch_one(&self.pool)
        .await?;
        Ok((rows, total))
    }

    /// Book titles of each group, in reading order.
    pub async fn group_book_titles(&self, groups: &[i64]) -> DbResult<Vec<(i64, String)>> {
        if groups.is_empty() {
            return Ok(Vec::new());
        }
        sqlx::query_as(&format!(
            "SELECT gb.group_id, b.title FROM reading_group_books gb JOIN books b ON b.id = gb.book_id \
             WHERE gb.group_id IN ({}) ORDER BY gb.group_id, gb.position",
            id_list(groups)
        ))
        .fetch_all(&self.pool)
        .await
    }

    pub async fn group_book_ids(&self, group: i64) -> DbResult<Vec<i64>> {
        sqlx::query_scalar(
            "SELECT book_id FROM reading_group_books WHERE group_id = $1 ORDER BY position",
        )
        .bind(group)
        .fetch_all(&self.pool)
        .await
    }

    pub async fn plan(&self, group: i64) -> DbResult<Vec<PlanEntry>> {
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT p.chapter_id, p.week FROM reading_plan p \
             JOIN book_chapters c ON c.id = p.chapter_id \
             JOIN reading_group_books gb ON gb.group_id = p.group_id AND gb.book_id = c.book_id \
             WHERE p.group_id = $1 ORDER BY p.week, gb.position, c.position",
        )
        .bind(group)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(chapter_id, week)| PlanEntry { chapter_id, week })
            .collect())
    }

    /// The reader's role in each of the groups (for lists and checks).
    pub async fn group_roles(
        &self,
        account: AccountId,
        groups: &[i64],
    ) -> DbResult<Vec<(i64, GroupRole, i64)>> {
        if groups.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<(i64, String, i64)> = sqlx::query_as(&format!(
            "SELECT group_id, role, last_read_post_id FROM reading_group_members \
             WHERE account_id = $1 AND group_id IN ({})",
            id_list(groups)
        ))
        .bind(account.0)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(g, role, read)| {
                Ok((g, GroupRole::parse(&role).ok_or_else(|| bad("role"))?, read))
            })
            .collect()
    }

    /// Visible posts by others after the read position, counted up to `UNREAD_CAP` so that a
    /// long thread costs no more than a short one.
    pub async fn unread_count(&self, group: i64, account: AccountId, after: i64) -> DbResult<i64> {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM (SELECT 1 FROM posts p WHERE p.container_kind = 'reading_group' \
                 AND p.container_id = $1 AND p.id > $2 AND p.author_id <> $3 \
                 AND p.deleted_at IS NULL AND p.hidden_reason IS NULL AND p.pending = 0 \
                 LIMIT $4) unread",
        )
        .bind(group)
        .bind(after)
        .bind(account.0)
        .bind(UNREAD_CAP)
        .fetch_one(&self.pool)
        .await
    }

    /// Moves the read position forward (never back) to `post_id`.
    pub async fn set_read_position(
        &self,
        group: i64,
        account: AccountId,
        post_id: i64,
    ) -> DbResult<()> {
        sqlx::query(
            "UPDATE reading_group_members SET last_read_post_id = $1 \
             WHERE group_id = $2 AND account_id = $3 AND last_read_post_id < $1",
        )
        .bind(post_id)
        .bind(group)
        .bind(account.0)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Adds a member; false if they already belong.
    pub async fn add_group_member(&self, group: i64, account: AccountId) -> DbResult<bool> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "INSERT INTO reading_group_members (group_id, account_id, role, joined_at) \
             VALUES ($1, $2, 'member', $3) ON CONFLICT (group_id, account_id) DO NOTHING",
        )
        .bind(group)
        .bind(account.0)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() > 0 {
            super::audit::record(
                &mut tx,
                "reading_group.add_member",
                "reading_group",
                Some(group),
                "",
                &account.0.to_string(),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(done.rows_affected() > 0)
    }

    /// Removes a member or leader (never the owner); false if there was no such member.
    pub async fn remove_group_member(&self, group: i64, account: AccountId) -> DbResult<bool> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "DELETE FROM reading_group_members WHERE group_id = $1 AND account_id = $2 \
             AND role <> 'owner'",
        )
        .bind(group)
        .bind(account.0)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() > 0 {
            super::audit::record(
                &mut tx,
                "reading_group.remove_member",
                "reading_group",
                Some(group),
                &account.0.to_string(),
                "",
            )
            .await?;
        }
        tx.commit().await?;
        Ok(done.rows_affected() > 0)
    }

    /// Everyone in the group with the number of planned chapters they checked in.
    pub async fn group_progress(&self, group: i64) -> DbResult<Vec<MemberProgress>> {
        let rows: Vec<(i64, String, String, i64)> = sqlx::query_as(
            "SELECT a.id, a.display_name, m.role, \
                 (SELECT COUNT(*) FROM reading_checkins c JOIN reading_plan p \
                     ON p.group_id = c.group_id AND p.chapter_id = c.chapter_id \
                  WHERE c.group_id = m.group_id AND c.account_id = m.account_id) \
             FROM reading_group_members m JOIN accounts a ON a.id = m.account_id \
             WHERE m.group_id = $1 \
             ORDER BY CASE m.role WHEN 'owner' THEN 0 WHEN 'leader' THEN 1 ELSE 2 END, a.id",
        )
        .bind(group)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(id, name, role, done)| {
                Ok(MemberProgress {
                    id: AccountId(id),
                    name,
                    role: GroupRole::parse(&role).ok_or_else(|| bad("role"))?,
                    chapters_done: done,
                })
            })
            .collect()
    }

    /// Check-ins on planned chapters of all members, and planned chapters.
    pub async fn completion(&self, group: i64) -> DbResult<(i64, i64)> {
        let done: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM reading_checkins c JOIN reading_plan p \
                 ON p.group_id = c.group_id AND p.chapter_id = c.chapter_id \
             JOIN reading_group_members m ON m.group_id = c.group_id AND m.account_id = c.account_id \
             WHERE c.group_id = $1",
        )
        .bind(group)
        .fetch_one(&self.pool)
        .await?;
        let planned: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM reading_plan WHERE group_id = $1")
                .bind(group)
                .fetch_one(&self.pool)
                .await?;
        Ok((done, planned))
    }

    pub async fn my_checkins(&self, group: i64, account: AccountId) -> DbResult<Vec<i64>> {
        sqlx::query_scalar(
            "SELECT chapter_id FROM reading_checkins WHERE group_id = $1 AND account_id = $2 \
             ORDER BY chapter_id",
        )
        .bind(group)
        .bind(account.0)
        .fetch_all(&self.pool)
        .await
    }

    pub async fn set_checkin(
        &self,
        group: i64,
        account: AccountId,
        chapter: i64,
        done: bool,
    ) -> DbResult<()> {
        let mut tx = self.pool.begin().await?;
        if done {
            sqlx::query(
                "INSERT INTO reading_checkins (group_id, account_id, chapter_id, at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            )
            .bind(group)
            .bind(account.0)
            .bind(chapter)
            .bind(now_ms())
            .execute(&mut *tx)
            .await?;
        } else {
            sqlx::query(
                "DELETE FROM reading_checkins WHERE group_id = $1 AND account_id = $2 \
                 AND chapter_id = $3",
            )
            .bind(group)
            .bind(account.0)
            .bind(chapter)
            .execute(&mut *tx)
            .await?;
        }
        // Finishing the plan scores; taking a check-in back undoes it.
        let (planned, checked): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM reading_plan WHERE group_id = $1), \
                 (SELECT COUNT(*) FROM reading_checkins c JOIN reading_plan p \
                     ON p.group_id = c.group_id AND p.chapter_id = c.chapter_id \
                  WHERE c.group_id = $1 AND c.account_id = $2)",
        )
        .bind(group)
        .bind(account.0)
        .fetch_one(&mut *tx)
        .await?;
        let points = super::duty::now_award(
            account.0,
            DutySource::ReadingPlanFinished,
            "reading_group",
            group,
        );
        // Judged on the member's own tick: a chapter added to the plan later does not take
        // the points of someone who had finished it.
        if done && planned > 0 && checked >= planned {
            super::duty::award(&mut tx, points).await?;
        } else if !done {
            super::duty::reverse(&mut tx, points).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn set_group_state(
        &self,
        group: i64,
        from: ReadingGroupState,
        to: ReadingGroupState,
    ) -> DbResult<bool> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE reading_groups SET state = $1, updated_at = $2 WHERE id = $3 AND state = $4",
        )
        .bind(to.as_str())
        .bind(now_ms())
        .bind(group)
        .bind(from.as_str())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() > 0 {
            super::audit::record(
                &mut tx,
                "reading_group.state",
                "reading_group",
                Some(group),
                from.as_str(),
                to.as_str(),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(done.rows_affected() > 0)
    }

    /// One page of a thread: top-level posts (or, filtered by featured, any matching posts)
    /// in the window, each followed by its first replies. Removed posts appear only where
    /// replies hang below them, and that rule is in the SQL so that pages stay full and their
    /// edges are right. Every read is an index range, whatever the thread's length.
    pub async fn thread(
        &self,
        group: i64,
        window: ThreadWindow,
        filter: ThreadFilter,
        limit: u32,
    ) -> DbResult<ThreadRows> {
        let mut base = "p.container_kind = 'reading_group' AND p.container_id = $1 \
             AND p.pending = 0"
            .to_owned();
        if filter.featured {
            base.push_str(" AND p.featured = 1 AND p.deleted_at IS NULL");
        } else {
            base.push_str(
                " AND p.depth = 0 AND (p.deleted_at IS NULL OR EXISTS (SELECT 1 FROM posts r \
                 WHERE r.root_id = p.id AND r.deleted_at IS NULL \
                 AND r.pending = 0))",
            );
        }
        if let Some(chapter) = filter.chapter_id {
            base.push_str(&format!(" AND p.chapter_id = {chapter}"));
        }
        let (pivot, cmp, order) = match window {
            ThreadWindow::After(id) => (id, ">", "ASC"),
            ThreadWindow::Before(id) => (id, "<", "DESC"),
        };
        let mut roots: Vec<PostRow> = sqlx::query_as(&format!(
            "{POST_SELECT} WHERE {base} AND p.id {cmp} $2 ORDER BY p.id {order} LIMIT $3"
        ))
        .bind(group)
        .bind(pivot)
        .bind(i64::from(limit) + 1)
        .fetch_all(&self.pool)
        .await?;
        let more_this_way = roots.len() > limit as usize;
        roots.truncate(limit as usize);
        if matches!(window, ThreadWindow::Before(_)) {
            roots.reverse();
        }
        // Whether anything lies beyond the page's other edge.
        let other_edge = match window {
            ThreadWindow::After(_) => roots.first().map(|r| (r.id, "<")),
            ThreadWindow::Before(_) => roots.last().map(|r| (r.id, ">")),
        };
        let more_other_way = match other_edge {
            Some((edge, cmp)) => {
                let n: i64 = sqlx::query_scalar(&format!(
                    "SELECT COUNT(*) FROM (SELECT 1 FROM posts p WHERE {base} \
                     AND p.id {cmp} $2 LIMIT 1) x"
                ))
                .bind(group)
                .bind(edge)
                .fetch_one(&self.pool)
                .await?;
                n > 0
            }
            None => false,
        };
        let (has_earlier, has_later) = match window {
            ThreadWindow::After(_) => (more_other_way, more_this_way),
            ThreadWindow::Before(_) => (more_this_way, more_other_way),
        };
        let mut entries = Vec::new();
        for root in roots {
            let (id, depth) = (root.id, root.depth);
            let replies = if filter.featured {
                (Vec::new(), false)
            } else {
                self.replies(id, REPLIES_PER_POST).await?
            };
            let root_post = root.into_api()?;
            let tree = order_replies(id, &replies.0);
            if root_post.deleted && tree.is_empty() {
                continue;
            }
            entries.push(ThreadItem {
                post: root_post,
                depth,
                more_replies: replies.1,
            });
            push_tree(&mut entries, tree)?;
        }
        Ok(ThreadRows {
            entries,
            has_earlier,
            has_later,
        })
    }

    /// The first `limit` replies under a top-level post, and whether there are more.
    async fn replies(&self, root: i64, limit: i64) -> DbResult<(Vec<PostRow>, bool)> {
        let mut rows: Vec<PostRow> = sqlx::query_as(&format!(
            "{POST_SELECT} WHERE p.root_id = $1 AND p.pending = 0 \
             ORDER BY p.id LIMIT $2"
        ))
        .bind(root)
        .bind(limit + 1)
        .fetch_all(&self.pool)
        .await?;
        let more = rows.len() as i64 > limit;
        rows.truncate(limit as usize);
        Ok((rows, more))
    }

    /// One post of a group with its replies (for a post's own page).
    pub async fn thread_post(&self, group: i64, post: i64) -> DbResult<Option<Vec<ThreadItem>>> {
        let row: Option<PostRow> = sqlx::query_as(&format!(
            "{POST_SELECT} WHERE p.id = $1 AND p.container_kind = 'reading_group' \
             AND p.container_id = $2 AND p.pending = 0"
        ))
        .bind(post)
        .bind(group)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let (replies, more) = self
            .replies(row.root_id.unwrap_or(row.id), REPLIES_ON_POST_PAGE)
            .await?;
        let under = order_replies(row.id, &replies);
        let depth = row.depth;
        let post = row.into_api()?;
        if post.deleted && under.is_empty() {
            return Ok(None);
        }
        let mut entries = vec![ThreadItem {
            post,
            depth,
            more_replies: more,
        }];
        push_tree(&mut entries, under)?;
        Ok(Some(entries))
    }

    pub async fn liked_by(&self, account: AccountId, posts: &[i64]) -> DbResult<Vec<i64>> {
        if posts.is_empty() {
            return Ok(Vec::new());
        }
        sqlx::query_scalar(&format!(
            "SELECT post_id FROM post_likes WHERE account_id = $1 AND post_id IN ({})",
            id_list(posts)
        ))
        .bind(account.0)
        .fetch_all(&self.pool)
        .await
    }

    /// Markdown sources of the author's posts among `posts` written after `since`.
    pub async fn own_sources(
        &self,
        author: AccountId,
        posts: &[i64],
        since: i64,
    ) -> DbResult<Vec<(i64, String)>> {
        if posts.is_empty() {
            return Ok(Vec::new());
        }
        sqlx::query_as(&format!(
            "SELECT id, body_md FROM posts WHERE author_id = $1 AND created_at > $2 \
             AND deleted_at IS NULL AND id IN ({})",
            id_list(posts)
        ))
        .bind(author.0)
        .bind(since)
        .fetch_all(&self.pool)
        .await
    }

    /// The author's edit (the caller checked the window). An edit is held like a new post
    /// would be (pre-moderated group, a listed word): it then leaves the thread, search and
    /// the count until a moderator approves it. Returns whether it was held.
    pub async fn edit_reading_post(
        &self,
        group: i64,
        post: &super::posts::PostRef,
        body_md: &str,
        body_html: &str,
        chapter_id: Option<i64>,
        quote: Option<&Quote>,
    ) -> DbResult<bool> {
        let mut tx = self.begin_write().await?;
        let container = super::posts::Container::reading(group);
        let checked = match quote {
            Some(q) => format!("{body_md}\n{}", q.text),
            None => body_md.to_owned(),
        };
        let hold =
            super::moderation::hold_reason(&mut tx, container, AccountId(post.author_id), &checked)
                .await?;
        let changed = sqlx::query(
            "UPDATE posts SET body_md = $1, body_html = $2, chapter_id = $3, quote_text = $4, \
                 quote_chapter = $5, quote_page = $6, edited_at = $7 \
             WHERE id = $8 AND deleted_at IS NULL AND hidden_reason IS NULL AND pending = 0",
        )
        .bind(body_md)
        .bind(body_html)
        .bind(chapter_id)
        .bind(quote.map(|q| q.text.as_str()))
        .bind(quote.map(|q| q.chapter.as_str()))
        .bind(quote.map(|q| q.page.as_str()))
        .bind(now_ms())
        .bind(post.id)
        .execute(&mut *tx)
        .await?;
        if changed.rows_affected() != 1 {
            return Ok(false);
        }
        if let Some(reason) = hold {
            sqlx::query("UPDATE posts SET pending = 1, pending_reason = $1 WHERE id = $2")
                .bind(reason.as_str())
                .bind(post.id)
                .execute(&mut *tx)
                .await?;
            super::posts::unpublish(&mut tx, super::posts::READING_GROUP, group, post).await?;
            super::events::redact_post(&mut tx, container.topic, post.id, true).await?;
        } else {
            super::search::reindex(&mut tx, super::search::DocRef::Post(post.id)).await?;
        }
        tx.commit().await?;
        Ok(hold.is_some())
    }

    /// Soft delete by the author: the row stays (replies keep their place) and the group's
    /// count drops, once.
    pub async fn delete_reading_post(&self, group: i64, post: i64) -> DbResult<bool> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE posts SET deleted_at = $1, featured = 0 WHERE id = $2 AND deleted_at IS NULL \
             AND hidden_reason IS NULL AND pending = 0",
        )
        .bind(now_ms())
        .bind(post)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() > 0 {
            sqlx::query("UPDATE reading_groups SET post_count = post_count - 1 WHERE id = $1")
                .bind(group)
                .execute(&mut *tx)
                .await?;
            // Its points go with it (compensating rows).
            let author: i64 = sqlx::query_scalar("SELECT author_id FROM posts WHERE id = $1")
                .bind(post)
                .fetch_one(&mut *tx)
                .await?;
            for source in [DutySource::ReadingReflection, DutySource::ReadingFeatured] {
                super::duty::reverse(
                    &mut tx,
                    super::duty::now_award(author, source, "post", post),
                )
                .await?;
            }
            super::search::reindex(&mut tx, super::search::DocRef::Post(post)).await?;
            super::events::redact_post(&mut tx, Topic::Reading(group), post, false).await?;
        }
        tx.commit().await?;
        Ok(done.rows_affected() > 0)
    }

    /// Marks or unmarks a post featured; the author's points follow in the same transaction.
    pub async fn set_featured(&self, post: i64, featured: bool) -> DbResult<()> {
        let mut tx = self.pool.begin().await?;
        let changed = sqlx::query(
            "UPDATE posts SET featured = $1 WHERE id = $2 AND deleted_at IS NULL AND featured <> $1",
        )
        .bind(i64::from(featured))
        .bind(post)
        .execute(&mut *tx)
        .await?;
        if changed.rows_affected() > 0 {
            let author: i64 = sqlx::query_scalar("SELECT author_id FROM posts WHERE id = $1")
                .bind(post)
                .fetch_one(&mut *tx)
                .await?;
            let points = super::duty::now_award(author, DutySource::ReadingFeatured, "post", post);
            if featured {
                super::duty::award(&mut tx, points).await?;
                let (group, root): (i64, Option<i64>) =
                    sqlx::query_as("SELECT container_id, root_id FROM posts WHERE id = $1")
                        .bind(post)
                        .fetch_one(&mut *tx)
                        .await?;
                let container = super::posts::Container::reading(group);
                let title = super::notifications::container_title(&mut tx, container).await?;
                super::notifications::notify(
                    &mut tx,
                    self.engine,
                    super::notifications::Notice {
                        account: author,
                        kind: NotificationKind::Featured,
                        title,
                        detail: String::new(),
                        link: super::notifications::post_link(container, post, root),
                        dedupe: Some(format!("featured:{post}")),
                    },
                )
                .await?;
            } else {
                super::duty::reverse(&mut tx, points).await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// Writes `count` reflections into a group in one statement per batch (the long-thread
    /// tests seed data this way, not through the API).
    pub async fn seed_thread(&self, group: i64, author: AccountId, count: i64) -> DbResult<()> {
        self.insert_generated("reading_group", group, author.0, "reflection", count)
            .await
    }
}

/// Replies below `parent` depth-first, in the order written. Removed replies stay only where
/// replies hang below them. One pass builds the parent-to-children map.
fn order_replies(parent: i64, replies: &[PostRow]) -> Vec<PostRow> {
    let mut children: HashMap<i64, Vec<&PostRow>> = HashMap::new();
    for r in replies {
        if let Some(p) = r.parent_id {
            children.entry(p).or_default().push(r);
        }
    }
    fn walk<'a>(
        parent: i64,
        children: &HashMap<i64, Vec<&'a PostRow>>,
        out: &mut Vec<&'a PostRow>,
    ) {
        for r in children.get(&parent).into_iter().flatten() {
            let mut below = Vec::new();
            walk(r.id, children, &mut below);
            if r.deleted_at.is_some() && below.is_empty() {
                continue;
            }
            out.push(r);
            out.extend(below);
        }
    }
    let mut out = Vec::new();
    walk(parent, &children, &mut out);
    out.into_iter().cloned().collect()
}

fn push_tree(entries: &mut Vec<ThreadItem>, tree: Vec<PostRow>) -> DbResult<()> {
    for row in tree {
        let depth = row.depth;
        entries.push(ThreadItem {
            post: row.into_api()?,
            depth,
            more_replies: false,
        });
    }
    Ok(())
}
