CREATE TYPE post_state AS ENUM ('draft', 'published', 'archived');
