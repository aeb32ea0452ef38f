CREATE VIEW digital_products AS
    SELECT id, sku, price, attributes ?| ARRAY['download_url', 'license'] AS deliverable
    FROM products
    WHERE kind = 'digital';
