-- Public alerts: CAP 1.2 messages (see app/alert.go, app/store/alert.go).
--
-- body holds the alert's fields and translations as JSON (app.Alert); the
-- columns beside it are what queries filter and sort on. A published alert
-- is never edited: an Update or Cancel is a new row whose body names the
-- alerts it replaces, and publishing it sets their superseded_by.
-- editor_ids lists (JSON) every account that edited the draft, for the
-- four-eyes rule.
CREATE TABLE alerts (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    identifier     TEXT NOT NULL UNIQUE,
    state          TEXT NOT NULL,
    status         TEXT NOT NULL,
    msg_type       TEXT NOT NULL,
    severity       TEXT NOT NULL,
    effective      DATETIME NOT NULL,
    expires        DATETIME NOT NULL,
    sent           DATETIME,
    superseded_by  TEXT NOT NULL DEFAULT '',
    body           TEXT NOT NULL,
    author_id      BIGINT REFERENCES users(id) ON DELETE SET NULL,
    editor_ids     TEXT NOT NULL DEFAULT '[]',
    created_at     DATETIME NOT NULL,
    updated_at     DATETIME NOT NULL
);
CREATE INDEX alerts_state_expires ON alerts(state, expires);
