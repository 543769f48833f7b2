# syntax=docker/dockerfile:1
# The SPA: built with Node 20, served by an unprivileged nginx (uid 101, port 8080) that also
# proxies /registry, /consent, /dsar and /scheduler to the services (deploy/nginx.conf).
# Build from the repository root; the OIDC authority is baked into the bundle and into the CSP:
#
#   docker build -f deploy/spa.Dockerfile -t vern-spa:local \
#       --build-arg VITE_OIDC_AUTHORITY=https://login.example.no/realms/centre .

# --- build -------------------------------------------------------------------------------------
FROM node:20-slim AS build

WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund

COPY frontend/ ./
COPY openapi/ /src/openapi/

# OIDC settings of the SPA's public client (see frontend/src/auth/config.ts). Only the authority
# is required; an argument left empty keeps the SPA's own default.
ARG VITE_OIDC_AUTHORITY
ARG VITE_OIDC_CLIENT_ID
ARG VITE_OIDC_SCOPE
ARG VITE_OIDC_RESOURCE
ARG VITE_OIDC_REDIRECT_URI
ARG VITE_OIDC_POST_LOGOUT_REDIRECT_URI
# Origins the browser must also reach besides the authority (e.g. a token endpoint on another
# host), space-separated; they are added to the CSP's connect-src.
ARG CSP_CONNECT_EXTRA=""

RUN test -n "$VITE_OIDC_AUTHORITY" \
    || { echo "build with --build-arg VITE_OIDC_AUTHORITY=<your IdP's issuer URL>" >&2; exit 1; }
# An empty VITE_* variable would reach the bundle as "" rather than fall back to the default.
RUN for v in VITE_OIDC_CLIENT_ID VITE_OIDC_SCOPE VITE_OIDC_RESOURCE VITE_OIDC_REDIRECT_URI \
             VITE_OIDC_POST_LOGOUT_REDIRECT_URI; do \
        eval "[ -n \"\${$v:-}\" ]" || unset "$v"; \
    done \
 && npm run build

# The CSP names the IdP's origin (scheme://host[:port]; a path would narrow the match).
COPY deploy/nginx.conf /src/nginx.conf.in
RUN origin="$(printf '%s' "$VITE_OIDC_AUTHORITY" | sed -E 's|^([a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]+).*|\1|')" \
 && sed -e "s|__OIDC_ORIGINS__|${origin}${CSP_CONNECT_EXTRA:+ $CSP_CONNECT_EXTRA}|g" \
        /src/nginx.conf.in > /src/nginx.conf \
 && ! grep -q '__OIDC_ORIGINS__' /src/nginx.conf

# --- serve -------------------------------------------------------------------------------------
FROM nginxinc/nginx-unprivileged:stable-alpine AS runtime

USER root
RUN rm -f /etc/nginx/conf.d/default.conf
COPY --from=build /src/nginx.conf /etc/nginx/nginx.conf
COPY --from=build /src/frontend/dist/ /usr/share/nginx/html/
USER 101:101

EXPOSE 8080
CMD ["nginx", "-g", "daemon off;"]
