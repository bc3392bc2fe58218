DROP INDEX refresh_tokens_grant;
DROP INDEX refresh_tokens_session;
DROP INDEX refresh_tokens_user;
CREATE INDEX refresh_tokens_grant ON refresh_tokens (tenant_id, grant_id);
CREATE INDEX refresh_tokens_session ON refresh_tokens (tenant_id, session_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (tenant_id, user_id);
