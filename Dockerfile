# One image for every service: `docker build --build-arg SERVICE=gateway .`
# The whole workspace is copied (see .dockerignore): npm ci needs every workspace's package.json,
# and the services run as TypeScript sources through tsx (no build step to drift from).
FROM node:20-bookworm-slim
ARG SERVICE
ENV SERVICE=${SERVICE}
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund && chown -R node:node /app
USER node
STOPSIGNAL SIGTERM
CMD ["sh", "-c", "exec node --import tsx services/${SERVICE}/src/main.ts"]
