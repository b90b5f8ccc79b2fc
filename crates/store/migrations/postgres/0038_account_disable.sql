-- Staff disable an account: it cannot sign in, and its sessions and API tokens end.
ALTER TABLE users ADD COLUMN disabled_at BIGINT;
