-- Up: Apply migration
CREATE FUNCTION promote(p_user bigint, p_role user_role) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE users SET role = p_role WHERE id = p_user;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no user %; nothing promoted', p_user;
    END IF;
END;
$$;

DO $$
BEGIN
    INSERT INTO users (email, role) VALUES ('admin@example.com', 'admin');
END
$$;

-- Down: Rollback migration
DELETE FROM users WHERE email = 'admin@example.com';
DROP FUNCTION promote(bigint, user_role);
