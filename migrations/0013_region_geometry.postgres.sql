-- Regions carry a boundary and standard geocodes (#12 part 3), so that CAP
-- <area> can hold a <polygon> and <geocode>s; alerts keep the CAP sender
-- and site address they were published with, so that their documents and
-- later <references> never change with the settings.
--
-- regions.boundary: the GeoJSON geometry (Polygon or MultiPolygon), '' for
-- none. regions.geocodes: JSON list of {"name", "value"}.
-- alerts.sender: the CAP <sender> at publication. Rows published before
-- this migration hold '' and are given the sender of the first server
-- start after it (the one derived from the base URL then, exactly what
-- they were served with), see store.FillAlertOrigins; until then the
-- current sender stands in at read time.
-- alerts.web_base: the configured base URL at publication ('' when none:
-- <web> then follows the request's address, as before).
-- Alert circles live in the alert's body (JSON) with its other fields.
ALTER TABLE regions ADD COLUMN boundary TEXT NOT NULL DEFAULT '';
ALTER TABLE regions ADD COLUMN geocodes TEXT NOT NULL DEFAULT '[]';
ALTER TABLE alerts ADD COLUMN sender TEXT NOT NULL DEFAULT '';
ALTER TABLE alerts ADD COLUMN web_base TEXT NOT NULL DEFAULT '';
