-- Participation statistics (see app/store/stats.go).
--
-- stat_firsts holds one row per first-time event of a learner in a scope
-- (0 = site-wide, otherwise a campaign id): kind 'visited' (course 0),
-- 'started', 'completed', 'certified' (once per course, and once with
-- course 0 for "any course"). stat_attempts holds one row per quiz attempt.
-- Both keep the dimensions as they were at event time; on account deletion
-- learner_id is replaced by a random anonymous id.
CREATE TABLE stat_firsts (
    learner_id    TEXT NOT NULL,
    scope         BIGINT NOT NULL,
    kind          TEXT NOT NULL,
    course_id     BIGINT NOT NULL,
    at            DATETIME NOT NULL,
    day           TEXT NOT NULL,
    guest         BOOLEAN NOT NULL,
    region        TEXT NOT NULL DEFAULT '',
    organization  TEXT NOT NULL DEFAULT '',
    locale        TEXT NOT NULL DEFAULT '',
    channel       BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (learner_id, scope, kind, course_id)
);

CREATE TABLE stat_attempts (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    learner_id    TEXT NOT NULL,
    scope         BIGINT NOT NULL,
    course_id     BIGINT NOT NULL,
    at            DATETIME NOT NULL,
    day           TEXT NOT NULL,
    guest         BOOLEAN NOT NULL,
    region        TEXT NOT NULL DEFAULT '',
    organization  TEXT NOT NULL DEFAULT '',
    locale        TEXT NOT NULL DEFAULT '',
    channel       BIGINT NOT NULL DEFAULT 0,
    passed        BOOLEAN NOT NULL,
    score         INTEGER NOT NULL
);
CREATE INDEX stat_attempts_learner ON stat_attempts(learner_id);

-- The channel a learner first came by, per scope (first touch wins).
CREATE TABLE stat_channels (
    learner_id  TEXT NOT NULL,
    scope       BIGINT NOT NULL,
    channel     BIGINT NOT NULL,
    PRIMARY KEY (learner_id, scope)
);

-- Rollups: one counter per day, scope, breakdown dimension and value,
-- guest or registered, and metric; kept in the same transaction as the
-- raw row that changes them. Dashboards read only this table.
CREATE TABLE stat_rollups (
    scope   BIGINT NOT NULL,
    dim     TEXT NOT NULL,
    day     TEXT NOT NULL,
    value   TEXT NOT NULL,
    guest   BOOLEAN NOT NULL,
    metric  TEXT NOT NULL,
    n       BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (scope, dim, day, value, guest, metric)
);
