ALTER TABLE opaque_tokens DROP COLUMN grant_id;
DROP TABLE refresh_tokens;
