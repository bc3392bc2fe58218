-- Lookups by (tenant_id, digest) must use the primary key. With these
-- secondary indexes led by tenant_id, PostgreSQL's planner, estimating a new
-- tenant as rare, could pick one of them and filter the digest, scanning the
-- whole tenant's rows. Grant, session and user ids are random, so leading
-- with them loses nothing; queries still filter by tenant.
DROP INDEX refresh_tokens_grant;
DROP INDEX refresh_tokens_session;
DROP INDEX refresh_tokens_user;
CREATE INDEX refresh_tokens_grant ON refresh_tokens (grant_id);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);
