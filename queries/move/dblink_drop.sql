-- move/dblink_drop: only when start created it (migration.made_dblink).
DROP EXTENSION IF EXISTS dblink
