-- 0008 follow-up to completion: one tracking loop for every kind of follow-up (consultation
-- recommendations, micro-suggestions), the committee calendar its working-day rules use.
-- Kept in step with ../postgres/0008_follow_up.sql.

-- Calendar exceptions (decisions.md): holidays on weekdays, make-up working days (调休) at
-- weekends. Every other Monday–Friday is a working day.
CREATE TABLE calendar_days (
    day  TEXT PRIMARY KEY,            -- YYYY-MM-DD
    kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
    name TEXT NOT NULL DEFAULT ''
);

-- 微建议: a member's short suggestion, reviewed by staff before it is tracked.
CREATE TABLE suggestions (
    id            INTEGER PRIMARY KEY,
    author_id     INTEGER NOT NULL REFERENCES accounts(id),
    title         TEXT NOT NULL,
    body          TEXT NOT NULL,
    location      TEXT,
    -- The member agrees to publish it; it is public only once accepted too.
    public        INTEGER NOT NULL DEFAULT 0 CHECK (public IN (0, 1)),
    state         TEXT NOT NULL DEFAULT 'submitted'
                  CHECK (state IN ('submitted', 'accepted', 'not_accepted')),
    review_reason TEXT,
    reviewed_by   INTEGER REFERENCES accounts(id),
    reviewed_at   INTEGER,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX suggestions_author ON suggestions(author_id, id);
CREATE INDEX suggestions_state ON suggestions(state, id);

-- A tracked item. `source_kind` + `source_id` name what it follows up (one item per source).
CREATE TABLE follow_ups (
    id                 INTEGER PRIMARY KEY,
    source_kind        TEXT NOT NULL CHECK (source_kind IN ('recommendation', 'micro_suggestion', 'micro_measure')),
    source_id          INTEGER NOT NULL,
    title              TEXT NOT NULL,
    body               TEXT NOT NULL,
    lead_department_id INTEGER NOT NULL REFERENCES departments(id),
    due_date           TEXT NOT NULL,   -- YYYY-MM-DD, committee time zone
    -- Who rates the result; NULL: staff record the rating.
    requester_id       INTEGER REFERENCES accounts(id),
    state              TEXT NOT NULL DEFAULT 'assigned'
                       CHECK (state IN ('assigned', 'in_handling', 'returned', 'replied', 'rated', 'closed')),
    assigned_at        INTEGER NOT NULL,
    reply              TEXT,
    result_class       TEXT CHECK (result_class IN ('solved', 'in_progress', 'for_reference')),
    replied_at         INTEGER,
    rating             TEXT CHECK (rating IN ('satisfied', 'basically_satisfied', 'unsatisfied')),
    -- Sent back once after "unsatisfied": the next reply is final.
    rehandled          INTEGER NOT NULL DEFAULT 0 CHECK (rehandled IN (0, 1)),
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    UNIQUE (source_kind, source_id)
);
CREATE INDEX follow_ups_lead ON follow_ups(lead_department_id, state, id);
CREATE INDEX follow_ups_state_due ON follow_ups(state, due_date);
CREATE INDEX follow_ups_requester ON follow_ups(requester_id, id);

CREATE TABLE follow_up_assisting (
    follow_up_id  INTEGER NOT NULL REFERENCES follow_ups(id) ON DELETE CASCADE,
    department_id INTEGER NOT NULL REFERENCES departments(id),
    PRIMARY KEY (follow_up_id, department_id)
);
CREATE INDEX follow_up_assisting_department ON follow_up_assisting(department_id, follow_up_id);

-- Every step, note, reply and rating with actor and time: the item's timeline.
CREATE TABLE follow_up_timeline (
    id            INTEGER PRIMARY KEY,
    follow_up_id  INTEGER NOT NULL REFERENCES follow_ups(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    actor_id      INTEGER REFERENCES accounts(id),
    body          TEXT NOT NULL DEFAULT '',
    result_class  TEXT,
    rating        TEXT,
    at            INTEGER NOT NULL
);
CREATE INDEX follow_up_timeline_item ON follow_up_timeline(follow_up_id, id);
