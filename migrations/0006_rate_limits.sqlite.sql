-- Rate limits shared by every instance (see app/store/ratelimit.go and
-- app/web/ratelimit.go): one fixed-window counter per bucket, a limit name
-- and a keyed hash of what it counts (an address, an account, a learner).
-- resets_at is the window's end in Unix milliseconds. A SQLite site runs
-- one instance and counts in memory instead; the table keeps both schemas
-- alike and serves tools and tests.
CREATE TABLE rate_limits (
    bucket    TEXT PRIMARY KEY,
    hits      INTEGER NOT NULL,
    resets_at INTEGER NOT NULL
) WITHOUT ROWID;
