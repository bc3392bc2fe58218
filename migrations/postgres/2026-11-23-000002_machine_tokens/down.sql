DROP TABLE revoked_tokens;
DROP TABLE opaque_tokens;
DROP TABLE clients;
DROP TABLE apis;
