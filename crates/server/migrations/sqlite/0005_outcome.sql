-- 0005 consultation outcome: attendance, minutes, recommendations.
-- Kept in step with ../postgres/0005_outcome.sql.

-- Who attended: opened the live room ('online'), spoke ('speaker') or was ticked by staff at a
-- venue ('venue'). One row per account; the first source is kept.
CREATE TABLE consultation_attendance (
    consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    account_id      INTEGER NOT NULL REFERENCES accounts(id),
    source          TEXT NOT NULL CHECK (source IN ('online', 'speaker', 'venue')),
    at              INTEGER NOT NULL,
    PRIMARY KEY (consultation_id, account_id)
);

-- 会议纪要: drafted from the record, edited by staff, published with the consultation's visibility.
CREATE TABLE consultation_minutes (
    consultation_id INTEGER PRIMARY KEY REFERENCES consultations(id) ON DELETE CASCADE,
    body_md         TEXT NOT NULL,
    body_html       TEXT NOT NULL,
    published_at    INTEGER,
    updated_by      INTEGER NOT NULL REFERENCES accounts(id),
    updated_at      INTEGER NOT NULL
);

-- 协商建议: numbered recommendations, each addressed to a department.
CREATE TABLE recommendations (
    id              INTEGER PRIMARY KEY,
    consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    number          INTEGER NOT NULL,
    text            TEXT NOT NULL,
    department_id   INTEGER NOT NULL REFERENCES departments(id),
    created_at      INTEGER NOT NULL,
    UNIQUE (consultation_id, number)
);
