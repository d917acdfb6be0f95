-- 0010 micro-consultations (微协商): one local issue from request to resolution.
-- Kept in step with ../postgres/0010_micro_consultations.sql.
CREATE TABLE micro_consultations (
    id                 INTEGER PRIMARY KEY,
    title              TEXT NOT NULL,
    description        TEXT NOT NULL,
    location           TEXT NOT NULL DEFAULT '',
    state              TEXT NOT NULL DEFAULT 'raised'
                       CHECK (state IN ('raised', 'declined', 'accepted', 'gathering', 'meeting_scheduled',
                                        'consensus_published', 'in_implementation', 'resolved', 'closed')),
    visibility         TEXT NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'members')),
    -- A member raiser, or a resident's name and contact (staff only; erased after closing).
    raised_by          INTEGER REFERENCES accounts(id),
    raiser_name        TEXT,
    raiser_contact     TEXT,
    contact_erased_at  INTEGER,
    workstation_id     INTEGER REFERENCES workstations(id),
    decline_reason     TEXT,
    meeting_at         INTEGER,
    meeting_place      TEXT NOT NULL DEFAULT '',
    meeting_participants TEXT NOT NULL DEFAULT '',
    meeting_record     TEXT NOT NULL DEFAULT '',
    consensus          TEXT,
    feedback           TEXT,
    closed_at          INTEGER,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
);
CREATE INDEX micro_consultations_state ON micro_consultations(state, id);
CREATE INDEX micro_consultations_closed ON micro_consultations(closed_at);

-- Members who take the issue up (买单), and departments concerned.
CREATE TABLE micro_members (
    micro_id   INTEGER NOT NULL REFERENCES micro_consultations(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    PRIMARY KEY (micro_id, account_id)
);
CREATE TABLE micro_departments (
    micro_id      INTEGER NOT NULL REFERENCES micro_consultations(id) ON DELETE CASCADE,
    department_id INTEGER NOT NULL REFERENCES departments(id),
    PRIMARY KEY (micro_id, department_id)
);
CREATE INDEX micro_departments_department ON micro_departments(department_id, micro_id);

-- Every state change with actor (NULL: a visitor raising it) and time.
CREATE TABLE micro_transitions (
    id         INTEGER PRIMARY KEY,
    micro_id   INTEGER NOT NULL REFERENCES micro_consultations(id) ON DELETE CASCADE,
    to_state   TEXT NOT NULL,
    actor_id   INTEGER REFERENCES accounts(id),
    note       TEXT NOT NULL DEFAULT '',
    at         INTEGER NOT NULL
);
CREATE INDEX micro_transitions_micro ON micro_transitions(micro_id, id);

-- Pre-consultation questionnaire: single or multiple choice, one answer per member.
CREATE TABLE micro_questions (
    id       INTEGER PRIMARY KEY,
    micro_id INTEGER NOT NULL REFERENCES micro_consultations(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    text     TEXT NOT NULL,
    multiple INTEGER NOT NULL DEFAULT 0 CHECK (multiple IN (0, 1))
);
CREATE TABLE micro_options (
    id          INTEGER PRIMARY KEY,
    question_id INTEGER NOT NULL REFERENCES micro_questions(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    text        TEXT NOT NULL
);
CREATE TABLE micro_respondents (
    micro_id   INTEGER NOT NULL REFERENCES micro_consultations(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    at         INTEGER NOT NULL,
    PRIMARY KEY (micro_id, account_id)
);
CREATE TABLE micro_answers (
    micro_id   INTEGER NOT NULL REFERENCES micro_consultations(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    option_id  INTEGER NOT NULL REFERENCES micro_options(id) ON DELETE CASCADE,
    PRIMARY KEY (account_id, option_id)
);
CREATE INDEX micro_answers_option ON micro_answers(option_id);

-- The agreed measures (协商意见的具体措施); each is tracked as a follow-up item
-- (source_kind 'micro_measure', source_id = this id).
CREATE TABLE micro_measures (
    id       INTEGER PRIMARY KEY,
    micro_id INTEGER NOT NULL REFERENCES micro_consultations(id) ON DELETE CASCADE,
    number   INTEGER NOT NULL,
    text     TEXT NOT NULL
);
CREATE INDEX micro_measures_micro ON micro_measures(micro_id, number);
