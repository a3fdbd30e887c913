-- People, their sessions, and the mailboxes they connect (SPEC section 1 and 3).

CREATE TABLE users (
    id                          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Folded to lower case; people sign in with it.
    login                       TEXT    NOT NULL UNIQUE,
    display_name                TEXT    NOT NULL,
    role                        TEXT    NOT NULL CHECK (role IN ('admin', 'user')),
    -- Argon2id, PHC string format.
    password_hash               TEXT    NOT NULL,
    business_process_preference TEXT    NOT NULL DEFAULT 'inherit'
                                CHECK (business_process_preference IN ('inherit', 'allow', 'deny'))
);

-- Sessions live in the database so that every replica behind a load balancer knows them.
CREATE TABLE sessions (
    -- SHA-256 of the cookie's token: a leaked table does not let anyone sign in.
    token_hash TEXT   PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed sign-ins, for rate limiting across replicas.
CREATE TABLE sign_in_failures (
    id     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    login  TEXT   NOT NULL,
    at     BIGINT NOT NULL
);
CREATE INDEX sign_in_failures_login ON sign_in_failures (login, at);

CREATE TABLE mailboxes (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id       BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    address       TEXT    NOT NULL,
    -- Folded, for "already connected".
    address_key   TEXT    NOT NULL,
    -- A service from the administrator's list, or NULL for servers the user entered ("Other").
    service_id    BIGINT  REFERENCES mail_services (id),
    smtp_host     TEXT,
    smtp_port     BIGINT,
    smtp_security TEXT,
    imap_host     TEXT,
    imap_port     BIGINT,
    imap_security TEXT,
    -- The mailbox password, encrypted (XChaCha20-Poly1305, key outside the database).
    password_nonce      BYTEA,
    password_ciphertext BYTEA,
    status        TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'server_deleted')),
    CHECK ((service_id IS NULL) = (smtp_host IS NOT NULL AND imap_host IS NOT NULL))
);
CREATE INDEX mailboxes_user ON mailboxes (user_id);
CREATE INDEX mailboxes_service ON mailboxes (service_id);
CREATE UNIQUE INDEX mailboxes_active_address ON mailboxes (user_id, address_key) WHERE status = 'active';
