CREATE TABLE settings (
    key text PRIMARY KEY,
    value jsonb NOT NULL
);
INSERT INTO settings VALUES ('site', '{"name": "Docs; v2"}');
