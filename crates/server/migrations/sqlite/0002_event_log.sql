-- 0002 event log: every change a page may show live is appended here in the same transaction
-- as the change (decisions.md). Ids strictly increase; streams resume with Last-Event-ID by
-- reading rows after it. Kept in step with ../postgres/0002_event_log.sql.
CREATE TABLE events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    topic      TEXT NOT NULL,
    payload    TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX events_topic_id ON events(topic, id);
