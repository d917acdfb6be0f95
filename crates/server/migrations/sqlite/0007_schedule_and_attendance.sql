-- 0007: state changes made by the schedule; every way a person attended.
-- An online topic (网络议政) closes on its closing date by itself; such a transition has no
-- actor, so `actor_id` becomes optional. SQLite cannot drop NOT NULL in place: rebuild.
-- Kept in step with ../postgres/0007_schedule_and_attendance.sql.

CREATE TABLE consultation_transitions_new (
    id              INTEGER PRIMARY KEY,
    consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    from_state      TEXT NOT NULL,
    to_state        TEXT NOT NULL,
    -- NULL: made by the schedule (an online topic reaching its closing date).
    actor_id        INTEGER REFERENCES accounts(id),
    at              INTEGER NOT NULL
);
INSERT INTO consultation_transitions_new (id, consultation_id, from_state, to_state, actor_id, at)
    SELECT id, consultation_id, from_state, to_state, actor_id, at FROM consultation_transitions;
DROP TABLE consultation_transitions;
ALTER TABLE consultation_transitions_new RENAME TO consultation_transitions;
CREATE INDEX consultation_transitions_by_consultation
    ON consultation_transitions (consultation_id, id);

-- The scheduler looks for open online topics past their closing date.
CREATE INDEX consultations_due_to_close ON consultations (state, kind, ends_at);

-- Attendance keeps every way a person attended (online, as a speaker, ticked at a venue), not
-- only the first: staff tick venue attendance for people who also joined online.
CREATE TABLE consultation_attendance_new (
    consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    account_id      INTEGER NOT NULL REFERENCES accounts(id),
    source          TEXT NOT NULL CHECK (source IN ('online', 'speaker', 'venue')),
    at              INTEGER NOT NULL,
    PRIMARY KEY (consultation_id, account_id, source)
);
INSERT INTO consultation_attendance_new (consultation_id, account_id, source, at)
    SELECT consultation_id, account_id, source, at FROM consultation_attendance;
DROP TABLE consultation_attendance;
ALTER TABLE consultation_attendance_new RENAME TO consultation_attendance;
