-- Campaign channels and participants (see app/store/campaignadmin.go).
--
-- A channel is one way a campaign reaches people (a poster, a school talk,
-- a partner site); its code makes the tracked link /c/{code}. visits counts
-- every follow of the link.
CREATE TABLE campaign_channels (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id  BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    code         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    visits       BIGINT NOT NULL DEFAULT 0,
    created_at   DATETIME NOT NULL,
    UNIQUE (campaign_id, name)
);

-- The channel a learner first came by to a campaign (first touch wins).
CREATE TABLE campaign_visits (
    learner_id   TEXT NOT NULL,
    campaign_id  BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    channel_id   BIGINT NOT NULL REFERENCES campaign_channels(id) ON DELETE CASCADE,
    visited_at   DATETIME NOT NULL,
    PRIMARY KEY (learner_id, campaign_id)
);

-- One row per learner who joined a campaign: by the button ('button') or
-- by completing a featured course inside the window ('completion'), with
-- the channel they came by (NULL when they came on their own).
CREATE TABLE campaign_participants (
    campaign_id  BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    learner_id   TEXT NOT NULL,
    channel_id   BIGINT REFERENCES campaign_channels(id) ON DELETE SET NULL,
    how          TEXT NOT NULL,
    joined_at    DATETIME NOT NULL,
    PRIMARY KEY (campaign_id, learner_id)
);
CREATE INDEX campaign_participants_learner ON campaign_participants(learner_id);
CREATE INDEX campaign_participants_channel ON campaign_participants(channel_id);
CREATE INDEX campaigns_window ON campaigns(starts, ends);

CREATE INDEX campaign_visits_channel ON campaign_visits(channel_id);
