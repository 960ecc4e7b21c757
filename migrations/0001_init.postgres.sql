CREATE TABLE users (
    id              BIGSERIAL PRIMARY KEY,
    email           TEXT NOT NULL UNIQUE,
    display_name    TEXT NOT NULL,
    password_hash   TEXT NOT NULL,
    roles           TEXT NOT NULL DEFAULT 'learner',
    locale          TEXT NOT NULL DEFAULT '',
    region_code     TEXT NOT NULL DEFAULT '',
    learner_id      TEXT NOT NULL UNIQUE,
    disabled        BOOLEAN NOT NULL DEFAULT FALSE,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE sessions (
    id          TEXT PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE learners (
    id          TEXT PRIMARY KEY,
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE courses (
    id                     BIGSERIAL PRIMARY KEY,
    slug                   TEXT NOT NULL UNIQUE,
    status                 TEXT NOT NULL DEFAULT 'draft',
    published_revision_id  BIGINT,
    created_at             TIMESTAMPTZ NOT NULL,
    updated_at             TIMESTAMPTZ NOT NULL
);

CREATE TABLE course_revisions (
    id          BIGSERIAL PRIMARY KEY,
    course_id   BIGINT NOT NULL REFERENCES courses(id),
    number      INTEGER NOT NULL,
    document    TEXT NOT NULL,
    created_by  BIGINT,
    created_at  TIMESTAMPTZ NOT NULL,
    UNIQUE (course_id, number)
);

CREATE TABLE lesson_progress (
    learner_id    TEXT NOT NULL,
    course_id     BIGINT NOT NULL REFERENCES courses(id),
    lesson_slug   TEXT NOT NULL,
    completed_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (learner_id, course_id, lesson_slug)
);

CREATE TABLE quiz_attempts (
    id           BIGSERIAL PRIMARY KEY,
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
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX quiz_attempts_learner ON quiz_attempts(learner_id, course_id);

CREATE TABLE course_completions (
    learner_id    TEXT NOT NULL,
    course_id     BIGINT NOT NULL REFERENCES courses(id),
    completed_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (learner_id, course_id)
);

CREATE TABLE certificates (
    id             BIGSERIAL PRIMARY KEY,
    code           TEXT NOT NULL UNIQUE,
    user_id        BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    course_id      BIGINT NOT NULL REFERENCES courses(id),
    course_slug    TEXT NOT NULL,
    course_title   TEXT NOT NULL,
    source_locale  TEXT NOT NULL,
    holder_name    TEXT NOT NULL,
    issued_at      TIMESTAMPTZ NOT NULL,
    UNIQUE (user_id, course_id)
);

CREATE TABLE campaigns (
    id          BIGSERIAL PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    starts      TIMESTAMPTZ NOT NULL,
    ends        TIMESTAMPTZ NOT NULL,
    document    TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
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
