-- 0015 post counts per container (issue 10).
-- Kept in step with ../sqlite/0015_container_post_counts.sql.

-- How many posts of a container others see (not removed, not waiting for a moderator): the
-- `total` of every post list. Counting 100,000 rows on each page read made the cost of a page
-- grow with the thread; a trigger keeps this in the same transaction as every change to posts,
-- whichever code path makes it.
CREATE TABLE container_post_counts (
    container_kind TEXT NOT NULL,
    container_id   BIGINT NOT NULL,
    visible        BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (container_kind, container_id)
);

INSERT INTO container_post_counts (container_kind, container_id, visible)
SELECT container_kind, container_id, COUNT(*) FROM posts
WHERE deleted_at IS NULL AND pending = 0
GROUP BY container_kind, container_id;

CREATE FUNCTION posts_count_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.deleted_at IS NULL AND OLD.pending = 0 THEN
        UPDATE container_post_counts SET visible = visible - 1
        WHERE container_kind = OLD.container_kind AND container_id = OLD.container_id;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.deleted_at IS NULL AND NEW.pending = 0 THEN
        INSERT INTO container_post_counts (container_kind, container_id, visible)
        VALUES (NEW.container_kind, NEW.container_id, 1)
        ON CONFLICT (container_kind, container_id)
        DO UPDATE SET visible = container_post_counts.visible + 1;
    END IF;
    RETURN NULL;
END; $$ LANGUAGE plpgsql;

CREATE TRIGGER posts_count_insert_delete AFTER INSERT OR DELETE ON posts
FOR EACH ROW EXECUTE FUNCTION posts_count_change();
CREATE TRIGGER posts_count_update AFTER UPDATE OF deleted_at, pending, container_kind, container_id ON posts
FOR EACH ROW
WHEN ((OLD.deleted_at IS NULL AND OLD.pending = 0) IS DISTINCT FROM (NEW.deleted_at IS NULL AND NEW.pending = 0)
   OR OLD.container_kind IS DISTINCT FROM NEW.container_kind
   OR OLD.container_id IS DISTINCT FROM NEW.container_id)
EXECUTE FUNCTION posts_count_change();

-- A page of a container's visible posts in id order is one index range, whatever the size of
-- the database (without it the planner may walk every visible post by id from the cursor on).
CREATE INDEX posts_visible ON posts(container_kind, container_id, id)
WHERE deleted_at IS NULL AND pending = 0;
