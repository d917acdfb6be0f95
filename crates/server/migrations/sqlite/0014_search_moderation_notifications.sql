-- 0014 search, moderation, notifications, audit (issue 8).
-- Kept in step with ../postgres/0014_search_moderation_notifications.sql.

-- Search: one row per searchable thing, and its words (jieba's search-mode segments) as
-- postings. Ranking happens in application code so both engines rank the same; who may see a
-- result is decided by the same checks the pages use, through (gate_kind, gate_id).
CREATE TABLE search_docs (
    id         INTEGER PRIMARY KEY,
    doc_kind   TEXT NOT NULL,     -- consultation, consultation_post, micro, micro_post,
                                  -- reading_group, reading_post, suggestion
    doc_id     INTEGER NOT NULL,
    gate_kind  TEXT NOT NULL,     -- the container whose reading rule applies
    gate_id    INTEGER NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,     -- plain text (Markdown stripped), cut to a few thousand chars
    year       INTEGER NOT NULL,  -- of created_at, in the committee's time zone
    created_at INTEGER NOT NULL,
    UNIQUE (doc_kind, doc_id)
);
CREATE INDEX search_docs_gate ON search_docs(gate_kind, gate_id);

CREATE TABLE search_terms (
    term     TEXT NOT NULL,
    doc      INTEGER NOT NULL REFERENCES search_docs(id) ON DELETE CASCADE,
    in_title INTEGER NOT NULL CHECK (in_title IN (0, 1)),
    PRIMARY KEY (term, doc)
);
CREATE INDEX search_terms_doc ON search_terms(doc);

-- Moderation: reports on posts, pre-moderation per container, a sensitive-word list,
-- suspensions from posting.
CREATE TABLE post_reports (
    id          INTEGER PRIMARY KEY,
    post_id     INTEGER NOT NULL REFERENCES posts(id),
    reporter_id INTEGER NOT NULL REFERENCES accounts(id),
    reason      TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    resolved_at INTEGER,          -- dismissed, or the post was hidden or restored
    resolution  TEXT CHECK (resolution IN ('hidden', 'dismissed', 'restored')),
    resolved_by INTEGER REFERENCES accounts(id)
);
CREATE INDEX post_reports_open ON post_reports(resolved_at, post_id);
CREATE UNIQUE INDEX post_reports_once ON post_reports(post_id, reporter_id) WHERE resolved_at IS NULL;

ALTER TABLE consultations ADD COLUMN premoderated INTEGER NOT NULL DEFAULT 0 CHECK (premoderated IN (0, 1));
ALTER TABLE micro_consultations ADD COLUMN premoderated INTEGER NOT NULL DEFAULT 0 CHECK (premoderated IN (0, 1));
ALTER TABLE reading_groups ADD COLUMN premoderated INTEGER NOT NULL DEFAULT 0 CHECK (premoderated IN (0, 1));
-- Why a pending post waits: the container is pre-moderated, or it contains a listed word.
ALTER TABLE posts ADD COLUMN pending_reason TEXT;
CREATE INDEX posts_pending ON posts(pending, id);

CREATE TABLE sensitive_words (
    id         INTEGER PRIMARY KEY,
    word       TEXT NOT NULL UNIQUE,
    created_by INTEGER NOT NULL REFERENCES accounts(id),
    created_at INTEGER NOT NULL
);

ALTER TABLE accounts ADD COLUMN suspended_until INTEGER;
ALTER TABLE accounts ADD COLUMN suspension_reason TEXT;
-- For password recovery and email notifications; optional.
ALTER TABLE accounts ADD COLUMN email TEXT;

-- Notifications: the in-app centre, per-type channel settings, and an outbox that a worker
-- sends from with retries, so a failing channel never blocks the action.
CREATE TABLE notifications (
    id           INTEGER PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts(id),
    kind         TEXT NOT NULL,
    title        TEXT NOT NULL,   -- the object's title, shown inside a translated sentence
    link         TEXT NOT NULL,   -- path in the app
    detail       TEXT NOT NULL DEFAULT '',
    dedupe_key   TEXT,            -- scheduled kinds: sent once per object and account
    in_app       INTEGER NOT NULL DEFAULT 1,  -- 0: kept only to send outside and to dedupe
    read_at      INTEGER,
    created_at   INTEGER NOT NULL
);
CREATE INDEX notifications_account ON notifications(account_id, id);
CREATE INDEX notifications_unread ON notifications(account_id, read_at);
CREATE UNIQUE INDEX notifications_dedupe ON notifications(account_id, dedupe_key);

CREATE TABLE notification_settings (
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    kind       TEXT NOT NULL,
    channel    TEXT NOT NULL CHECK (channel IN ('in_app', 'email', 'webhook')),
    enabled    INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    PRIMARY KEY (account_id, kind, channel)
);

CREATE TABLE notification_outbox (
    id              INTEGER PRIMARY KEY,
    notification_id INTEGER REFERENCES notifications(id),
    channel         TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
    recipient       TEXT NOT NULL,   -- email address, or the account id for the webhook
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    sent_at         INTEGER,
    failed_at       INTEGER,         -- gave up after the last attempt
    created_at      INTEGER NOT NULL
);
CREATE INDEX notification_outbox_due ON notification_outbox(sent_at, failed_at, next_attempt_at);

-- Password recovery: only the SHA-256 of the emailed token is kept.
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY NOT NULL,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    expires_at INTEGER NOT NULL,
    used_at    INTEGER,
    created_at INTEGER NOT NULL
);

-- Audit: append-only. Written in the same transaction as the change; no endpoint changes it.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    actor_id    INTEGER REFERENCES accounts(id),  -- NULL for the scheduler or the public
    action      TEXT NOT NULL,
    object_kind TEXT NOT NULL,
    object_id   INTEGER,
    before      TEXT NOT NULL DEFAULT '',
    after       TEXT NOT NULL DEFAULT '',
    client_ip   TEXT NOT NULL DEFAULT '',
    at          INTEGER NOT NULL
);
CREATE INDEX audit_log_at ON audit_log(id);
CREATE INDEX audit_log_actor ON audit_log(actor_id, id);
CREATE INDEX audit_log_action ON audit_log(action, id);
CREATE INDEX audit_log_object ON audit_log(object_kind, object_id, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
