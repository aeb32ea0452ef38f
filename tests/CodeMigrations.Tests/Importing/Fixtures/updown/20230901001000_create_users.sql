-- Up
CREATE TABLE users (
    id bigserial PRIMARY KEY,
    email text NOT NULL,
    role user_role NOT NULL DEFAULT 'reader',
    created_at timestamptz NOT NULL DEFAULT now()
);
