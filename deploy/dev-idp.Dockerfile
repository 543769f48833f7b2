# syntax=docker/dockerfile:1
# DEVELOPMENT ONLY: the dev identity provider (deploy/dev-idp) for `docker compose --profile dev`.
# Its signing key, client secrets and passwords are public; no deployment may trust it. It is not
# part of the Kubernetes manifests, and server.js refuses to start with NODE_ENV=production.
FROM node:20-slim

ENV NODE_ENV=development
WORKDIR /idp
COPY deploy/dev-idp/package.json deploy/dev-idp/package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund
COPY deploy/dev-idp/ ./

USER node
EXPOSE 9000
CMD ["node", "server.js"]
