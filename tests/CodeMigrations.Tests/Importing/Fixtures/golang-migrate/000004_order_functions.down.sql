DROP FUNCTION accounts_tagged(text[]);
DROP FUNCTION account_total(bigint);
