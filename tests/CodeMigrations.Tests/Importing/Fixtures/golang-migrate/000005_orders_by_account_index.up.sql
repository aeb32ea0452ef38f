CREATE INDEX CONCURRENTLY orders_account_created_idx ON orders (account_id, created_at DESC);
