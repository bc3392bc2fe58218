DROP TABLE platform_state;
