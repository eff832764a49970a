-- A district's boundary (GeoJSON Polygon or MultiPolygon geometry, WGS-84) as given by the city's
-- GIS in a bulk import or POST /api/v1/districts; NULL when only the name is known.
ALTER TABLE districts ADD COLUMN boundary TEXT;
