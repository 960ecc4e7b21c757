-- Personal API tokens (app/store/apitoken.go): an account's keys to the
-- private /api/v1 endpoints. Only a SHA-256 digest of the token is kept (a
-- token is 256 random bits, so a fast hash is enough); prefix is its first
-- characters, to tell tokens apart in lists. last_used_at is written at most
-- every few minutes. A token dies with its account.
CREATE TABLE api_tokens (
    id           BIGSERIAL PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    hash         TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    expires_at   TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);
