-- Up: Apply migration
CREATE TYPE user_role AS ENUM ('reader', 'editor', 'admin');

-- Down: Rollback migration
-- DROP TYPE user_role;
