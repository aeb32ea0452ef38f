CREATE TABLE whole (id int);
INSERT INTO whole VALUES (1), (2)
