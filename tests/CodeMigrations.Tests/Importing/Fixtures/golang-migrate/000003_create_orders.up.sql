BEGIN;

CREATE TABLE orders (
    id bigserial PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES accounts (id),
    status order_status NOT NULL DEFAULT 'pending',
    total_cents bigint NOT NULL CHECK (total_cents >= 0),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE VIEW open_orders AS
    SELECT o.id, a.email, o.status, o.total_cents
    FROM orders o JOIN accounts a ON a.id = o.account_id
    WHERE o.status IN ('pending', 'paid');

COMMIT;
