-- migrate:up
CREATE OR REPLACE FUNCTION close_stale_tickets(p_days int) RETURNS int
LANGUAGE plpgsql AS $fn$
DECLARE
    closed int;
BEGIN
    UPDATE tickets SET status = 'closed'
    WHERE status = 'waiting' AND opened_at < now() - make_interval(days => p_days);
    GET DIAGNOSTICS closed = ROW_COUNT;
    RAISE NOTICE 'closed % ticket(s); done', closed;
    RETURN closed;
END;
$fn$;

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'ticket_status') THEN
        RAISE EXCEPTION 'ticket_status is missing; run the earlier migrations first';
    END IF;
END
$$;

-- migrate:down
DROP FUNCTION close_stale_tickets(int);
