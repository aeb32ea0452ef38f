-- Up
CREATE TABLE notes (id int);

-- Down
-- DROP TABLE notes;
