-- 0003 consultations and the one post model (decisions.md). Kept in step with
-- ../postgres/0003_consultations_posts.sql. Flags are 0/1 integers; times Unix ms.

CREATE TABLE consultations (
    id               INTEGER PRIMARY KEY,
    -- 'remote' (scheduled live meeting) or 'online' (open between two dates, 网络议政)
    kind             TEXT NOT NULL CHECK (kind IN ('remote', 'online')),
    title            TEXT NOT NULL,
    description_md   TEXT NOT NULL DEFAULT '',
    -- Sanitised HTML rendered by the server from description_md; the only HTML the app inserts.
    description_html TEXT NOT NULL DEFAULT '',
    committee_id     INTEGER REFERENCES committees(id),
    chair_id         INTEGER REFERENCES accounts(id),
    starts_at        INTEGER,
    ends_at          INTEGER,
    venues           TEXT NOT NULL DEFAULT '',
    video_link       TEXT,
    visibility       TEXT NOT NULL CHECK (visibility IN ('public', 'members')),
    state            TEXT NOT NULL DEFAULT 'draft'
                     CHECK (state IN ('draft', 'published', 'live', 'concluded', 'outcome_published', 'closed')),
    created_by       INTEGER NOT NULL REFERENCES accounts(id),
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX consultations_state ON consultations(state, starts_at);

-- Who takes part: sectors, committees, individual accounts.
CREATE TABLE consultation_invitations (
    consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    sector_id       INTEGER REFERENCES sectors(id),
    committee_id    INTEGER REFERENCES committees(id),
    account_id      INTEGER REFERENCES accounts(id),
    CHECK ((sector_id IS NOT NULL) + (committee_id IS NOT NULL) + (account_id IS NOT NULL) = 1)
);
CREATE INDEX consultation_invitations_c ON consultation_invitations(consultation_id);

-- Departments that answer in the consultation.
CREATE TABLE consultation_departments (
    consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    department_id   INTEGER NOT NULL REFERENCES departments(id),
    PRIMARY KEY (consultation_id, department_id)
);

-- Every state change with who made it and when.
CREATE TABLE consultation_transitions (
    id              INTEGER PRIMARY KEY,
    consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    from_state      TEXT NOT NULL,
    to_state        TEXT NOT NULL,
    actor_id        INTEGER NOT NULL REFERENCES accounts(id),
    at              INTEGER NOT NULL
);

-- One post model for every area: container (kind + id), author, kind, Markdown and sanitised
-- HTML, optional parent (reply or answer), optional quote, likes, featured, edits, soft delete,
-- moderation. Area rules (who posts which kind, nesting) live in domain code.
CREATE TABLE posts (
    id             INTEGER PRIMARY KEY,
    container_kind TEXT NOT NULL,
    container_id   INTEGER NOT NULL,
    author_id      INTEGER NOT NULL REFERENCES accounts(id),
    kind           TEXT NOT NULL,
    body_md        TEXT NOT NULL,
    body_html      TEXT NOT NULL,
    parent_id      INTEGER REFERENCES posts(id),
    quote_text     TEXT,
    quote_chapter  TEXT,
    quote_page     TEXT,
    like_count     INTEGER NOT NULL DEFAULT 0,
    featured       INTEGER NOT NULL DEFAULT 0 CHECK (featured IN (0, 1)),
    pending        INTEGER NOT NULL DEFAULT 0 CHECK (pending IN (0, 1)),
    hidden_reason  TEXT,
    hidden_by      INTEGER REFERENCES accounts(id),
    edited_at      INTEGER,
    deleted_at     INTEGER,
    created_at     INTEGER NOT NULL
);
CREATE INDEX posts_container ON posts(container_kind, container_id, id);
CREATE INDEX posts_parent ON posts(parent_id);

CREATE TABLE post_likes (
    post_id    INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (post_id, account_id)
);
