-- 0007: state changes made by the schedule; every way a person attended.
-- An online topic (网络议政) closes on its closing date by itself; such a transition has no
-- actor (NULL), so `actor_id` becomes optional.
-- Kept in step with ../sqlite/0007_schedule_and_attendance.sql.

ALTER TABLE consultation_transitions ALTER COLUMN actor_id DROP NOT NULL;
CREATE INDEX consultation_transitions_by_consultation
    ON consultation_transitions (consultation_id, id);

-- The scheduler looks for open online topics past their closing date.
CREATE INDEX consultations_due_to_close ON consultations (state, kind, ends_at);

-- Attendance keeps every way a person attended (online, as a speaker, ticked at a venue), not
-- only the first: staff tick venue attendance for people who also joined online.
ALTER TABLE consultation_attendance DROP CONSTRAINT consultation_attendance_pkey;
ALTER TABLE consultation_attendance ADD PRIMARY KEY (consultation_id, account_id, source);
