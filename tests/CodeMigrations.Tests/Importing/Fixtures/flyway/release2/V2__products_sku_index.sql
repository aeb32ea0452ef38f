CREATE INDEX CONCURRENTLY products_kind_price_idx ON products (kind, price);
