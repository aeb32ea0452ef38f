CREATE OR REPLACE VIEW product_summary AS
    SELECT kind, count(*) AS products, avg(price) AS average_price
    FROM products
    GROUP BY kind;
