CREATE TYPE product_kind AS ENUM ('physical', 'digital', 'service');
