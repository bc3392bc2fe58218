DROP TABLE token_watermarks;
DROP TABLE admin_grants;
DROP TABLE audit_log;
