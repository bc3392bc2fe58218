-- Named facts about the database as a whole. `subkeys` is set once data
-- protected by the master key itself (sealed private keys, client-secret
-- digests) has moved to the master key's derived subkeys.
CREATE TABLE platform_state (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
