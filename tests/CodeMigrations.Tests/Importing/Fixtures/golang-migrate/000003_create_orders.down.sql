BEGIN;
DROP VIEW open_orders;
DROP TABLE orders;
COMMIT;
