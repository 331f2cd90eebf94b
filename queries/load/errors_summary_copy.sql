-- The exact rejection counts of the file being loaded, by code and column (errlog.c
-- counts them while the file is read), in one COPY inside the file's transaction.
COPY meterops.load_error_summary (file_id, attempt, code, column_name, errors, first_line,
                                  last_line, first_message) FROM STDIN
