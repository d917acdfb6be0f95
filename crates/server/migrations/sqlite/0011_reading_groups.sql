-- 0011 reading groups (委员读书): periods, books with chapters and covers, groups with their
-- people, reading plans and check-ins. Reading posts are rows of the one post model; this
-- adds the columns threads need. Kept in step with ../postgres/0011_reading_groups.sql.

CREATE TABLE reading_periods (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    starts_on  TEXT NOT NULL,  -- YYYY-MM-DD in the committee's time zone
    ends_on    TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    CHECK (starts_on <= ends_on)
);

CREATE TABLE books (
    id                 INTEGER PRIMARY KEY,
    title              TEXT NOT NULL,
    author             TEXT NOT NULL DEFAULT '',
    publisher          TEXT NOT NULL DEFAULT '',
    year               INTEGER,
    -- The cover lives in the row (decisions.md: uploads in the database); checked by content.
    cover_content_type TEXT,
    cover_sha256       TEXT,
    cover_data         BLOB,
    created_by         INTEGER NOT NULL REFERENCES accounts(id),
    created_at         INTEGER NOT NULL
);

CREATE TABLE book_chapters (
    id       INTEGER PRIMARY KEY,
    book_id  INTEGER NOT NULL REFERENCES books(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title    TEXT NOT NULL,
    UNIQUE (book_id, position)
);

CREATE TABLE reading_groups (
    id               INTEGER PRIMARY KEY,
    period_id        INTEGER NOT NULL REFERENCES reading_periods(id),
    name             TEXT NOT NULL,
    theme            TEXT NOT NULL DEFAULT '',
    description_md   TEXT NOT NULL DEFAULT '',
    description_html TEXT NOT NULL DEFAULT '',
    visibility       TEXT NOT NULL CHECK (visibility IN ('public', 'members')),
    state            TEXT NOT NULL DEFAULT 'upcoming' CHECK (state IN ('upcoming', 'open', 'closed')),
    owner_id         INTEGER NOT NULL REFERENCES accounts(id),
    -- Visible posts, kept with each post and delete so that lists never count threads.
    post_count       INTEGER NOT NULL DEFAULT 0,
    created_by       INTEGER NOT NULL REFERENCES accounts(id),
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX reading_groups_period ON reading_groups(period_id, id);

CREATE TABLE reading_group_books (
    group_id INTEGER NOT NULL REFERENCES reading_groups(id) ON DELETE CASCADE,
    book_id  INTEGER NOT NULL REFERENCES books(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (group_id, book_id)
);

-- The reading plan: which week of the group each chapter is read in.
CREATE TABLE reading_plan (
    group_id   INTEGER NOT NULL REFERENCES reading_groups(id) ON DELETE CASCADE,
    chapter_id INTEGER NOT NULL REFERENCES book_chapters(id),
    week       INTEGER NOT NULL CHECK (week BETWEEN 1 AND 104),
    PRIMARY KEY (group_id, chapter_id)
);

-- Everyone who may post: the owner ('owner'), reading leaders ('leader') and members.
-- last_read_post_id is the member's read position in the thread.
CREATE TABLE reading_group_members (
    group_id          INTEGER NOT NULL REFERENCES reading_groups(id) ON DELETE CASCADE,
    account_id        INTEGER NOT NULL REFERENCES accounts(id),
    role              TEXT NOT NULL CHECK (role IN ('owner', 'leader', 'member')),
    joined_at         INTEGER NOT NULL,
    last_read_post_id INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (group_id, account_id)
);
CREATE INDEX reading_group_members_account ON reading_group_members(account_id, group_id);

-- Check-ins (打卡): a member marks a chapter of the plan read.
CREATE TABLE reading_checkins (
    group_id   INTEGER NOT NULL REFERENCES reading_groups(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    chapter_id INTEGER NOT NULL REFERENCES book_chapters(id),
    at         INTEGER NOT NULL,
    PRIMARY KEY (group_id, account_id, chapter_id)
);

-- Threads: the chapter a post is about, its top-level ancestor and its depth (0 for a
-- top-level post), so that a page of top-level posts and all their replies are index reads.
ALTER TABLE posts ADD COLUMN chapter_id INTEGER REFERENCES book_chapters(id);
ALTER TABLE posts ADD COLUMN root_id INTEGER REFERENCES posts(id);
ALTER TABLE posts ADD COLUMN depth INTEGER NOT NULL DEFAULT 0;
CREATE INDEX posts_thread ON posts(container_kind, container_id, depth, id);
CREATE INDEX posts_root ON posts(root_id, id);
CREATE INDEX posts_featured ON posts(container_kind, container_id, featured, id);
CREATE INDEX posts_chapter ON posts(chapter_id, id);
