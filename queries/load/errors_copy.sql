-- The rejected rows of the file being loaded, streamed in inside the file's transaction.
COPY meterops.load_error (file_id, line_no, column_name, code, message, raw) FROM STDIN
