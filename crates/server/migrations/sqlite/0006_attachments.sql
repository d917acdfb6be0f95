-- 0006 background materials: files stored in the database so that servers stay stateless
-- (decisions.md). Size-limited and type-checked by content on upload.
-- Kept in step with ../postgres/0006_attachments.sql.
CREATE TABLE attachments (
    id              INTEGER PRIMARY KEY,
    consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    filename        TEXT NOT NULL,
    content_type    TEXT NOT NULL,
    size_bytes      INTEGER NOT NULL,
    sha256          TEXT NOT NULL,
    data            BLOB NOT NULL,
    uploaded_by     INTEGER NOT NULL REFERENCES accounts(id),
    created_at      INTEGER NOT NULL
);
CREATE INDEX attachments_consultation ON attachments(consultation_id);
