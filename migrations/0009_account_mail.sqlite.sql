-- Password reset links, mailed or issued by an administrator. Only a
-- SHA-256 of the token is kept, as for sessions; a row is deleted when
-- used, when a newer link is made for the account, and after it expires.
CREATE TABLE password_resets (
    id          TEXT PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_by  BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at  DATETIME NOT NULL,
    expires_at  DATETIME NOT NULL
);
CREATE INDEX password_resets_user ON password_resets(user_id);

-- Registrations waiting for their address to be confirmed (with SMTP):
-- the account is made only when the mailed link is opened, so that an
-- address nobody confirmed never holds an account.
CREATE TABLE signups (
    id                 TEXT PRIMARY KEY,
    email              TEXT NOT NULL,
    display_name       TEXT NOT NULL,
    password_hash      TEXT NOT NULL,
    locale             TEXT NOT NULL DEFAULT '',
    region_code        TEXT NOT NULL DEFAULT '',
    organization_code  TEXT NOT NULL DEFAULT '',
    created_at         DATETIME NOT NULL,
    expires_at         DATETIME NOT NULL
);
CREATE INDEX signups_email ON signups(email);
