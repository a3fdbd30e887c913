-- The company's email service settings (SPEC section 2).

CREATE TABLE settings (
    id                       INTEGER PRIMARY KEY CHECK (id = 1),
    version                  BIGINT  NOT NULL,
    allow_manual_entry       BOOLEAN NOT NULL,
    business_process_sending BOOLEAN NOT NULL
);

CREATE TABLE mail_services (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    -- Set for the services shipped with the product, NULL for corporate ones.
    standard_key  TEXT UNIQUE,
    name          TEXT    NOT NULL,
    -- The name folded for the case-insensitive uniqueness rule.
    name_key      TEXT    NOT NULL,
    smtp_host     TEXT    NOT NULL,
    smtp_port     BIGINT  NOT NULL CHECK (smtp_port BETWEEN 1 AND 65535),
    smtp_security TEXT    NOT NULL CHECK (smtp_security IN ('none', 'starttls', 'tls')),
    imap_host     TEXT    NOT NULL,
    imap_port     BIGINT  NOT NULL CHECK (imap_port BETWEEN 1 AND 65535),
    imap_security TEXT    NOT NULL CHECK (imap_security IN ('none', 'starttls', 'tls')),
    hidden        BOOLEAN NOT NULL DEFAULT FALSE,
    position      BIGINT  NOT NULL,
    -- Deleted services stay, so the mailboxes that used them keep their history.
    deleted       BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE UNIQUE INDEX mail_services_live_name ON mail_services (name_key) WHERE NOT deleted;
