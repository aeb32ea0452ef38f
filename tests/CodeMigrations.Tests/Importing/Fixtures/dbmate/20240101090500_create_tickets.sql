-- migrate:up
CREATE TABLE tickets (
    id bigserial PRIMARY KEY,
    subject text NOT NULL,
    status ticket_status NOT NULL DEFAULT 'open',
    labels jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(labels) = 'array'),
    opened_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO tickets (subject) VALUES ('Welcome; read me first');
