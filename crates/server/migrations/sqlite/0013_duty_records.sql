-- 0013 duty records (履职档案): point rules with the date they take effect, an append-only
-- points ledger (every row points back to its source; undoing a source writes a compensating
-- row), and offline duties staff record: activities, who was expected, leave and attendance.
-- Kept in step with ../postgres/0013_duty_records.sql.

CREATE TABLE point_rules (
    id             INTEGER PRIMARY KEY,
    source         TEXT NOT NULL,
    points         INTEGER NOT NULL,   -- per unit (a plenary half-day, a speech, ...)
    yearly_cap     INTEGER,            -- most points a member earns from this source in a year
    effective_from TEXT NOT NULL,      -- YYYY-MM-DD in the committee's time zone
    created_by     INTEGER REFERENCES accounts(id),
    created_at     INTEGER NOT NULL
);
CREATE INDEX point_rules_source ON point_rules(source, effective_from);

-- The defaults of shared/domain.md, in effect from the start.
INSERT INTO point_rules (source, points, yearly_cap, effective_from, created_at) VALUES
    ('plenary', 2, NULL, '2000-01-01', 0),
    ('meeting', 1, NULL, '2000-01-01', 0),
    ('consultation_joined', 1, NULL, '2000-01-01', 0),
    ('speech', 2, NULL, '2000-01-01', 0),
    ('written_speech', 2, NULL, '2000-01-01', 0),
    ('question', 1, NULL, '2000-01-01', 0),
    ('inspection', 2, NULL, '2000-01-01', 0),
    ('survey', 2, NULL, '2000-01-01', 0),
    ('training', 1, NULL, '2000-01-01', 0),
    ('other_activity', 1, NULL, '2000-01-01', 0),
    ('micro_taking_part', 1, NULL, '2000-01-01', 0),
    ('micro_suggestion_accepted', 3, NULL, '2000-01-01', 0),
    ('reading_reflection', 1, 10, '2000-01-01', 0),
    ('reading_featured', 2, NULL, '2000-01-01', 0),
    ('reading_plan_finished', 2, NULL, '2000-01-01', 0),
    ('leave_approved', 0, NULL, '2000-01-01', 0),
    ('absence', -1, NULL, '2000-01-01', 0);

CREATE TABLE point_ledger (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    year       INTEGER NOT NULL,     -- of the source's date, in the committee's time zone
    source     TEXT NOT NULL,
    ref_kind   TEXT NOT NULL,        -- what the row points back to: 'activity', 'post', ...
    ref_id     INTEGER NOT NULL,
    points     INTEGER NOT NULL,
    reverses   INTEGER REFERENCES point_ledger(id),  -- a compensating row
    at         INTEGER NOT NULL
);
CREATE INDEX point_ledger_member ON point_ledger(account_id, year, id);
CREATE INDEX point_ledger_ref ON point_ledger(ref_kind, ref_id, account_id, source);

CREATE TABLE duty_activities (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('plenary', 'standing_committee', 'inspection', 'survey', 'training', 'other')),
    title      TEXT NOT NULL,
    held_on    TEXT NOT NULL,        -- YYYY-MM-DD
    half_days  INTEGER NOT NULL DEFAULT 1 CHECK (half_days BETWEEN 1 AND 20),
    recorded   INTEGER NOT NULL DEFAULT 0 CHECK (recorded IN (0, 1)),  -- attendance entered
    created_by INTEGER NOT NULL REFERENCES accounts(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX duty_activities_date ON duty_activities(held_on, id);

-- Members expected at an activity, their leave (请假) and whether they attended.
CREATE TABLE duty_invitees (
    activity_id  INTEGER NOT NULL REFERENCES duty_activities(id) ON DELETE CASCADE,
    account_id   INTEGER NOT NULL REFERENCES accounts(id),
    leave        TEXT CHECK (leave IN ('requested', 'approved', 'refused')),
    leave_reason TEXT,
    attended     INTEGER CHECK (attended IN (0, 1)),  -- NULL until attendance is recorded
    PRIMARY KEY (activity_id, account_id)
);
CREATE INDEX duty_invitees_account ON duty_invitees(account_id, activity_id);
