# One image for every service: `docker build --build-arg SERVICE=gateway .`
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json ./
COPY libs/contracts/package.json libs/contracts/
COPY libs/errors/package.json libs/errors/
COPY libs/config/package.json libs/config/
COPY libs/logger/package.json libs/logger/
COPY libs/nats/package.json libs/nats/
COPY libs/db/package.json libs/db/
COPY libs/tokens/package.json libs/tokens/
COPY libs/http/package.json libs/http/
COPY libs/testing/package.json libs/testing/
COPY services/auth/package.json services/auth/
COPY services/messages/package.json services/messages/
COPY services/roulette/package.json services/roulette/
COPY services/gateway/package.json services/gateway/
RUN npm ci --no-audit --no-fund

FROM node:20-bookworm-slim
ARG SERVICE
ENV NODE_ENV=production SERVICE=${SERVICE}
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.base.json ./
COPY libs ./libs
COPY services ./services
USER node
# tsx compiles on load; the services run as TypeScript sources (no build step to drift from).
CMD ["sh", "-c", "exec node --import tsx services/${SERVICE}/src/main.ts"]
