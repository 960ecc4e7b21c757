-- Open results (see app/web/campaign_report.go): when publish_results is
-- set, /{lang}/campaigns/{slug}/results shows the campaign's aggregate
-- figures to everyone, with small-group protection applied. Off by default.
ALTER TABLE campaigns ADD COLUMN publish_results BOOLEAN NOT NULL DEFAULT FALSE;
