-- migrate:up
CREATE TYPE ticket_status AS ENUM ('open', 'waiting', 'closed');

-- migrate:down

