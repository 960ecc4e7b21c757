-- One row that counts changes to what public pages show (courses, campaigns,
-- alerts, settings, regions: every admin change and every pack import bumps
-- it, see app/store/version.go). Instances poll it to drop their cached
-- public pages, so a change made on one instance reaches the others.
CREATE TABLE site_version (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    version     INTEGER NOT NULL,
    changed_at  TIMESTAMP NOT NULL
);
INSERT INTO site_version (id, version, changed_at) VALUES (1, 1, CURRENT_TIMESTAMP);
