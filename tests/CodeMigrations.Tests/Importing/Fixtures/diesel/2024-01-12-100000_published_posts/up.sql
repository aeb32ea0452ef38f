CREATE VIEW published_posts AS
SELECT id, title, updated_at FROM posts WHERE state = 'published'
