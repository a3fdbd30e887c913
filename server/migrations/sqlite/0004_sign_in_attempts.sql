-- Sign-in attempts, for rate limiting across replicas (issue 13, items 5-7). They replace
-- sign_in_failures, which kept each login as typed: anyone could fill the disk with long ones.
-- A row is written before the password is checked (so parallel guesses are counted), removed when
-- the attempt was refused or succeeded, and kept as a failure otherwise.
DROP TABLE sign_in_failures;

CREATE TABLE sign_in_attempts (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    -- SHA-256 (hex) of the folded login: 64 characters whatever was typed.
    login_hash TEXT   NOT NULL,
    -- The client's address (an IPv6 client by its /64), or 'unknown'; never longer than 43.
    client     TEXT   NOT NULL,
    -- The person the login names, when it names one: the administrator's list of lock-outs shows
    -- their login without the attempts table holding any login text.
    user_id    BIGINT REFERENCES users (id) ON DELETE CASCADE,
    at         BIGINT NOT NULL
);
CREATE INDEX sign_in_attempts_login ON sign_in_attempts (login_hash, client, at);
CREATE INDEX sign_in_attempts_client ON sign_in_attempts (client, at);
-- The clean-up of attempts older than the window.
CREATE INDEX sign_in_attempts_at ON sign_in_attempts (at);
