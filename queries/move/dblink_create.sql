-- move/dblink_create: the extension the source's event trigger reaches the target with.
CREATE EXTENSION IF NOT EXISTS dblink
