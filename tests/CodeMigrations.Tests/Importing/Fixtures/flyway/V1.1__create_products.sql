CREATE TABLE products (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sku varchar(32) NOT NULL UNIQUE,
    kind product_kind NOT NULL,
    price numeric(10, 2) NOT NULL CHECK (price >= 0),
    attributes jsonb NOT NULL DEFAULT '{}'
);

COMMENT ON TABLE products IS 'What we sell; prices in EUR';
