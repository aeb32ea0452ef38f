-- Up
CREATE UNIQUE INDEX CONCURRENTLY users_email_idx ON users (lower(email));

-- Down
DROP INDEX CONCURRENTLY users_email_idx;
