CREATE TABLE accounts (
    id bigserial PRIMARY KEY,
    email text NOT NULL UNIQUE,
    display_name text NOT NULL DEFAULT '',
    tags text[] NOT NULL DEFAULT '{}',
    settings jsonb NOT NULL DEFAULT '{}' CHECK (NOT settings ?| ARRAY['password', 'secret']),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Keeps updated_at current; the body holds ';' and quotes of its own.
CREATE FUNCTION touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RAISE DEBUG 'touched %; it''s fine', TG_TABLE_NAME;
    RETURN NEW;
END;
$$;

CREATE TRIGGER accounts_touch BEFORE UPDATE ON accounts
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
