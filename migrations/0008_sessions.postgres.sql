-- Sessions remember when they were last used, for the idle timeout (written
-- at most once every few minutes, see app/store/session.go), and which
-- browser started them: a summary such as "Firefox" and "Windows", never the
-- whole User-Agent, so that an account can see its sessions and end them.
ALTER TABLE sessions ADD COLUMN last_seen_at TIMESTAMPTZ;
ALTER TABLE sessions ADD COLUMN browser TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN platform TEXT NOT NULL DEFAULT '';
UPDATE sessions SET last_seen_at = created_at;
