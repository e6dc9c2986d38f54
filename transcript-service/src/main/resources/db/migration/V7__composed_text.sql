-- Transcript lines are stored in Unicode's composed form (NFC) from now on, and queries are composed too, so "café"
-- is found however its é was written (one code point, or e and a combining accent). Lines stored before are composed
-- here; the search vector is a generated column, so it follows. normalize() needs a UTF8 database, which a
-- transcript store holding speech in any language is; in any other encoding the lines are left as they are.
DO $$
BEGIN
    IF current_setting('server_encoding') = 'UTF8' THEN
        UPDATE segments SET text = normalize(text, NFC) WHERE text IS NOT NFC NORMALIZED;
        UPDATE segments SET generated_text = normalize(generated_text, NFC)
            WHERE generated_text IS NOT NULL AND generated_text IS NOT NFC NORMALIZED;
    END IF;
END
$$;
