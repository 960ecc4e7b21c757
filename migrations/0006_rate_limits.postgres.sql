-- Rate limits shared by every instance (see app/store/ratelimit.go and
-- app/web/ratelimit.go): one fixed-window counter per bucket, a limit name
-- and a keyed hash of what it counts (an address, an account, a learner).
-- resets_at is the window's end in Unix milliseconds.
--
-- UNLOGGED: the counters are disposable, so they skip the write-ahead log;
-- after a crash or a failover they start again from zero, which only lets
-- a few more tries through for one window. fillfactor leaves room on each
-- page for the constant updates to stay HOT (no index changes).
CREATE UNLOGGED TABLE rate_limits (
    bucket    TEXT PRIMARY KEY,
    hits      BIGINT NOT NULL,
    resets_at BIGINT NOT NULL
) WITH (fillfactor = 70);
