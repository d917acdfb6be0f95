-- 0004 speaking at remote consultations: the current segment and the speech applications,
-- which become the queue and then the record. Kept in step with ../postgres/0004_speaking.sql.
ALTER TABLE consultations ADD COLUMN current_segment TEXT
    CHECK (current_segment IN ('briefing', 'questions', 'answers', 'speeches'));

CREATE TABLE speeches (
    id               INTEGER PRIMARY KEY,
    consultation_id  INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    speaker_id       INTEGER NOT NULL REFERENCES accounts(id),
    mode             TEXT NOT NULL CHECK (mode IN ('venue', 'video', 'written')),
    summary          TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'accepted', 'declined', 'speaking', 'done')),
    -- Queue order among accepted speeches, lowest first.
    position         INTEGER NOT NULL DEFAULT 0,
    allotted_seconds INTEGER NOT NULL DEFAULT 0,
    segment          TEXT,
    started_at       INTEGER,
    used_seconds     INTEGER,
    created_at       INTEGER NOT NULL
);
CREATE INDEX speeches_consultation ON speeches(consultation_id, status, position);
