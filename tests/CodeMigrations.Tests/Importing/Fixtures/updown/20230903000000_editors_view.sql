-- Up
CREATE VIEW editors AS
    SELECT id, email FROM users WHERE role IN ('editor', 'admin');

-- Down
DROP VIEW editors;
