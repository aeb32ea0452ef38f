DROP VIEW digital_products;
