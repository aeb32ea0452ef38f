CREATE FUNCTION discounted(p_price numeric, p_percent int) RETURNS numeric
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF p_percent NOT BETWEEN 0 AND 100 THEN
        RAISE EXCEPTION 'percent out of range: %; expected 0..100', p_percent;
    END IF;
    RETURN round(p_price * (100 - p_percent) / 100.0, 2);
END;
$$;

DO $$
BEGIN
    PERFORM discounted(10, 5);
END
$$;
