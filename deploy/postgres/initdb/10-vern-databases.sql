-- Creates Vern's databases on first start of the compose PostgreSQL (mounted into
-- /docker-entrypoint-initdb.d; runs once, on an empty data volume).
--
-- Two databases per service, each service with a login role of its own that can reach only its
-- own two databases:
--   <svc>       the data (personal data sealed with per-subject data keys)
--   <svc>_keys  the key store (wrapped data keys and the shred journal)
-- Here both live on one server for simplicity. In production put the key stores on a SEPARATE
-- PostgreSQL server (other credentials, other backups on their own schedule): a copy of the data
-- alone must never come with the keys that open it. See deploy/README.md.
--
-- Passwords come from the environment of the postgres container (deploy/env/postgres.env) via
-- psql's \getenv (PostgreSQL 15+); an unset one stops the init with an error.

\set ON_ERROR_STOP on

\getenv registry_password VERN_REGISTRY_DB_PASSWORD
\getenv consent_password VERN_CONSENT_DB_PASSWORD
\getenv dsar_password VERN_DSAR_DB_PASSWORD
\getenv scheduler_password VERN_SCHEDULER_DB_PASSWORD

CREATE ROLE vern_registry LOGIN PASSWORD :'registry_password';
CREATE ROLE vern_consent LOGIN PASSWORD :'consent_password';
CREATE ROLE vern_dsar LOGIN PASSWORD :'dsar_password';
CREATE ROLE vern_scheduler LOGIN PASSWORD :'scheduler_password';

CREATE DATABASE registry OWNER vern_registry;
CREATE DATABASE registry_keys OWNER vern_registry;
CREATE DATABASE consent OWNER vern_consent;
CREATE DATABASE consent_keys OWNER vern_consent;
CREATE DATABASE dsar OWNER vern_dsar;
CREATE DATABASE dsar_keys OWNER vern_dsar;
CREATE DATABASE scheduler OWNER vern_scheduler;
CREATE DATABASE scheduler_keys OWNER vern_scheduler;

-- Only the owning service may connect (PUBLIC may by default).
REVOKE ALL ON DATABASE registry, registry_keys FROM PUBLIC;
REVOKE ALL ON DATABASE consent, consent_keys FROM PUBLIC;
REVOKE ALL ON DATABASE dsar, dsar_keys FROM PUBLIC;
REVOKE ALL ON DATABASE scheduler, scheduler_keys FROM PUBLIC;
