-- load/registry_stage_copy: the registry feed's records into the table of
-- load/registry_stage, as text COPY rows (line_no, then the format's columns).
COPY pg_temp.stage FROM STDIN
