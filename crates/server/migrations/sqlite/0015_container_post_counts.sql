-- 0015 post counts per container (issue 10).
-- Kept in step with ../postgres/0015_container_post_counts.sql.

-- How many posts of a container others see (not removed, not waiting for a moderator): the
-- `total` of every post list. Counting 100,000 rows on each page read made the cost of a page
-- grow with the thread; triggers keep this in the same transaction as every change to posts,
-- whichever code path makes it.
CREATE TABLE container_post_counts (
    container_kind TEXT NOT NULL,
    container_id   INTEGER NOT NULL,
    visible        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (container_kind, container_id)
);

INSERT INTO container_post_counts (container_kind, container_id, visible)
SELECT container_kind, container_id, COUNT(*) FROM posts
WHERE deleted_at IS NULL AND pending = 0
GROUP BY container_kind, container_id;

CREATE TRIGGER posts_count_insert AFTER INSERT ON posts
WHEN NEW.deleted_at IS NULL AND NEW.pending = 0
BEGIN
    INSERT INTO container_post_counts (container_kind, container_id, visible)
    VALUES (NEW.container_kind, NEW.container_id, 1)
    ON CONFLICT (container_kind, container_id) DO UPDATE SET visible = visible + 1;
END;

CREATE TRIGGER posts_count_delete AFTER DELETE ON posts
WHEN OLD.deleted_at IS NULL AND OLD.pending = 0
BEGIN
    UPDATE container_post_counts SET visible = visible - 1
    WHERE container_kind = OLD.container_kind AND container_id = OLD.container_id;
END;

CREATE TRIGGER posts_count_update AFTER UPDATE OF deleted_at, pending, container_kind, container_id ON posts
WHEN (OLD.deleted_at IS NULL AND OLD.pending = 0) IS NOT (NEW.deleted_at IS NULL AND NEW.pending = 0)
  OR OLD.container_kind IS NOT NEW.container_kind OR OLD.container_id IS NOT NEW.container_id
BEGIN
    UPDATE container_post_counts SET visible = visible - 1
    WHERE container_kind = OLD.container_kind AND container_id = OLD.container_id
      AND OLD.deleted_at IS NULL AND OLD.pending = 0;
    INSERT INTO container_post_counts (container_kind, container_id, visible)
    SELECT NEW.container_kind, NEW.container_id, 1
    WHERE NEW.deleted_at IS NULL AND NEW.pending = 0
    ON CONFLICT (container_kind, container_id) DO UPDATE SET visible = visible + 1;
END;

-- A page of a container's visible posts in id order is one index range, whatever the size of
-- the database (without it the planner may walk every visible post by id from the cursor on).
CREATE INDEX posts_visible ON posts(container_kind, container_id, id)
WHERE deleted_at IS NULL AND pending = 0;
