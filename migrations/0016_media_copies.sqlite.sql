-- Resized copies of media images (#14 point 6): PNG and JPEG images get
-- copies 480, 960 and 1440 px wide (never wider than the original), served
-- at /media/<name>?w=<width> and listed in lesson images' srcset. A copy
-- belongs to the original's bytes (sha256): when a pack import replaces
-- them the old copies go, and missing copies are made on first request.
CREATE TABLE media_copies (
    media_id    BIGINT NOT NULL REFERENCES media(id) ON DELETE CASCADE,
    sha256      TEXT NOT NULL,
    width       INTEGER NOT NULL,
    height      INTEGER NOT NULL,
    size        BIGINT NOT NULL,
    data        BLOB NOT NULL,
    created_at  DATETIME NOT NULL,
    PRIMARY KEY (media_id, width)
);
