-- The language a user reads the web interface in (en, fr, ar); NULL: the
-- browser's Accept-Language decides.
ALTER TABLE users ADD COLUMN locale TEXT;
