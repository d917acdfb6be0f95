-- 0009 photos: a micro-suggestion's photo of the problem and a department's evidence of its
-- handling, stored in the database like every upload (decisions.md).
-- Kept in step with ../postgres/0009_photos.sql.
CREATE TABLE photos (
    id           INTEGER PRIMARY KEY,
    owner_kind   TEXT NOT NULL CHECK (owner_kind IN ('suggestion', 'follow_up', 'micro_consultation')),
    owner_id     INTEGER NOT NULL,
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes   INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    data         BLOB NOT NULL,
    uploaded_by  INTEGER REFERENCES accounts(id),  -- NULL: a visitor (public form)
    created_at   INTEGER NOT NULL
);
CREATE INDEX photos_owner ON photos(owner_kind, owner_id, id);
