-- load/registry_stage: the temporary table a registry feed is staged in (see
-- backend/loadreg.c): line_no, then one text column per column of the format, which
-- loadreg.c writes (quoted identifiers from the compiled-in table) where the comment
-- inside the parentheses stands. Dropped with the file's transaction.
CREATE TEMP TABLE stage (line_no bigint NOT NULL /*columns*/) ON COMMIT DROP
