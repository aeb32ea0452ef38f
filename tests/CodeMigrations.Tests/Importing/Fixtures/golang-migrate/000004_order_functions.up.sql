CREATE FUNCTION account_total(p_account bigint) RETURNS bigint
LANGUAGE plpgsql STABLE AS $body$
DECLARE
    total bigint;
BEGIN
    SELECT coalesce(sum(total_cents), 0) INTO total
    FROM orders
    WHERE account_id = p_account AND status <> 'cancelled';
    RETURN total;
END;
$body$;

CREATE FUNCTION accounts_tagged(p_tags text[]) RETURNS SETOF accounts
LANGUAGE sql STABLE AS 'SELECT * FROM accounts WHERE tags @> p_tags OR p_tags <@ tags';

DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT id FROM accounts WHERE display_name = '' LOOP
        UPDATE accounts SET display_name = split_part(email, '@', 1) WHERE id = r.id;
    END LOOP;
END
$$;

COMMENT ON FUNCTION account_total(bigint) IS 'Sum of an account''s orders; cancelled ones excluded'
