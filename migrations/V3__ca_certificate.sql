-- Why: thousands of devices hold the same few CA certificates. Each is stored once, keyed by
-- its SHA-256 fingerprint, with the parsed facts the inventory shows without parsing again.
CREATE TABLE IF NOT EXISTS ca_certificate (
    sha256      text        COLLATE "C" PRIMARY KEY,
    der         bytea       NOT NULL,
    subject     text        NOT NULL,
    issuer      text        NOT NULL,
    not_before  timestamptz NOT NULL,
    not_after   timestamptz NOT NULL,
    spki_sha256 text        COLLATE "C" NOT NULL,
    first_seen  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ca_certificate_sha256_is_hex CHECK (sha256 ~ '^[0-9a-f]{64}$')
);

COMMENT ON TABLE ca_certificate IS 'Every CA certificate any device was seen holding; the PEM is the DER in base64.';
