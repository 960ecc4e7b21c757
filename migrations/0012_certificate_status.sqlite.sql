-- Certificates become Open Badges credentials revocable by a Bitstring
-- Status List (app/credential): each one gets a status_index, unique and
-- assigned in order of issue, and a deleted account's certificate stays as
-- a tombstone (no holder, no account, revoked_at set) so that its bit stays
-- set. SQLite cannot drop NOT NULL or change a foreign key in place, so the
-- table is rebuilt; nothing references certificates.
CREATE TABLE certificates_new (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    code           TEXT NOT NULL UNIQUE,
    user_id        BIGINT REFERENCES users(id) ON DELETE SET NULL,
    course_id      BIGINT NOT NULL REFERENCES courses(id),
    course_slug    TEXT NOT NULL,
    course_title   TEXT NOT NULL,
    source_locale  TEXT NOT NULL,
    holder_name    TEXT NOT NULL,
    issued_at      DATETIME NOT NULL,
    status_index   BIGINT NOT NULL UNIQUE,
    revoked_at     DATETIME,
    UNIQUE (user_id, course_id)
);
INSERT INTO certificates_new (id, code, user_id, course_id, course_slug, course_title, source_locale, holder_name, issued_at, status_index)
SELECT id, code, user_id, course_id, course_slug, course_title, source_locale, holder_name, issued_at,
       ROW_NUMBER() OVER (ORDER BY issued_at, id) - 1
  FROM certificates;
DROP TABLE certificates;
ALTER TABLE certificates_new RENAME TO certificates;
CREATE INDEX certificates_revoked ON certificates (status_index) WHERE revoked_at IS NOT NULL;
