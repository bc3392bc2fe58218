DROP TABLE change_counter;
DROP TABLE signing_keys;
DROP TABLE tenants;
