CREATE TABLE users (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    email           TEXT NOT NULL UNIQUE,
    display_name    TEXT NOT NULL,
    password_hash   TEXT NOT NULL,
    roles           TEXT NOT NULL DEFAULT 'learner',
    locale          TEXT NOT NULL DEFAULT '',
    region_code     TEXT NOT NULL DEFAULT '',
    learner_id      TEXT NOT NULL UNIQUE,
    organization_id BIGINT,
    disabled        BOOLEAN NOT NULL DEFAULT FALSE,
    created_at      DATETIME NOT NULL,
    updated_at      DATETIME NOT NULL
);

CREATE INDEX users_region ON users(region_code);
CREATE INDEX users_organization ON users(organization_id);

CREATE TABLE sessions (
    id          TEXT PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at  DATETIME NOT NULL,
    expires_at  DATETIME NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE learners (
    id          TEXT PRIMARY KEY,
    created_at  DATETIME NOT NULL
);

-- A course points at its live revision and at most one working draft.
-- review_state is the draft's: '' (no draft), 'draft' or 'in_review'.
CREATE TABLE courses (
    id                     INTEGER PRIMARY KEY AUTOINCREMENT,
    slug                   TEXT NOT NULL UNIQUE,
    status                 TEXT NOT NULL DEFAULT 'draft',
    published_revision_id  BIGINT,
    draft_revision_id      BIGINT,
    review_state           TEXT NOT NULL DEFAULT '',
    review_comment         TEXT NOT NULL DEFAULT '',
    draft_editors          TEXT NOT NULL DEFAULT '',
    submitted_by           BIGINT,
    created_at             DATETIME NOT NULL,
    updated_at             DATETIME NOT NULL
);
CREATE INDEX courses_review ON courses(review_state);

-- A revision is mutable while it is a draft and frozen once published_at is set.
CREATE TABLE course_revisions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    course_id     BIGINT NOT NULL REFERENCES courses(id),
    number        INTEGER NOT NULL,
    document      TEXT NOT NULL,
    created_by    BIGINT,
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL,
    published_at  DATETIME,
    published_by  BIGINT,
    UNIQUE (course_id, number)
);

CREATE TABLE lesson_progress (
    learner_id    TEXT NOT NULL,
    course_id     BIGINT NOT NULL REFERENCES courses(id),
    lesson_slug   TEXT NOT NULL,
    completed_at  DATETIME NOT NULL,
    PRIMARY KEY (learner_id, course_id, lesson_slug)
);

CREATE TABLE quiz_attempts (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    learner_id   TEXT NOT NULL,
    course_id    BIGINT NOT NULL REFERENCES courses(id),
    revision_id  BIGINT NOT NULL REFERENCES course_revisions(id),
    nonce        TEXT NOT NULL UNIQUE,
    locale       TEXT NOT NULL,
    correct      INTEGER NOT NULL,
    total        INTEGER NOT NULL,
    score        INTEGER NOT NULL,
    passed       BOOLEAN NOT NULL,
    answers      TEXT NOT NULL,
    created_at   DATETIME NOT NULL
);
CREATE INDEX quiz_attempts_learner ON quiz_attempts(learner_id, course_id);

CREATE TABLE course_completions (
    learner_id    TEXT NOT NULL,
    course_id     BIGINT NOT NULL REFERENCES courses(id),
    completed_at  DATETIME NOT NULL,
    PRIMARY KEY (learner_id, course_id)
);

CREATE TABLE certificates (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    code           TEXT NOT NULL UNIQUE,
    user_id        BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    course_id      BIGINT NOT NULL REFERENCES courses(id),
    course_slug    TEXT NOT NULL,
    course_title   TEXT NOT NULL,
    source_locale  TEXT NOT NULL,
    holder_name    TEXT NOT NULL,
    issued_at      DATETIME NOT NULL,
    UNIQUE (user_id, course_id)
);

CREATE TABLE campaigns (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    slug        TEXT NOT NULL UNIQUE,
    starts      DATETIME NOT NULL,
    ends        DATETIME NOT NULL,
    document    TEXT NOT NULL,
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL
);

CREATE TABLE regions (
    code         TEXT PRIMARY KEY,
    parent_code  TEXT NOT NULL DEFAULT '',
    names        TEXT NOT NULL
);

-- Daily rollups: counters kept in the same transaction as the event that
-- changes them, so statistics never scan raw events and survive account deletion.
CREATE TABLE daily_counts (
    day         TEXT NOT NULL,
    metric      TEXT NOT NULL,
    course_id   BIGINT NOT NULL DEFAULT 0,
    locale      TEXT NOT NULL DEFAULT '',
    guest       BOOLEAN NOT NULL DEFAULT FALSE,
    value       BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, metric, course_id, locale, guest)
);

CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

-- Every change made in the admin area: who, what, when, before and after.
CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    at           DATETIME NOT NULL,
    user_id      BIGINT,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    object_type  TEXT NOT NULL,
    object_id    TEXT NOT NULL,
    before       TEXT NOT NULL DEFAULT '',
    after        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_object ON audit_log(object_type, object_id);
CREATE INDEX audit_log_user ON audit_log(user_id, at);

CREATE TABLE organizations (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    code        TEXT NOT NULL UNIQUE,
    names       TEXT NOT NULL,
    created_at  DATETIME NOT NULL
);

-- Images of the media library, served at /media/<name>. The bytes live in
-- the database, so that every instance serves them and a backup holds them.
CREATE TABLE media (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT NOT NULL UNIQUE,
    content_type  TEXT NOT NULL,
    size          BIGINT NOT NULL,
    width         INTEGER NOT NULL,
    height        INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    data          BLOB NOT NULL,
    created_by    BIGINT,
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL
);
CREATE INDEX media_sha256 ON media(sha256);
