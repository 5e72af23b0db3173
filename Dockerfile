# One image for every role: `start` (embedded), `gateway`, `service <name>`.
FROM node:20-bookworm-slim AS build
WORKDIR /stratus
COPY package.json package-lock.json turbo.json tsconfig.base.json eslint.config.js ./
COPY shared ./shared
COPY gateway ./gateway
COPY services ./services
COPY cli ./cli
COPY tests/package.json ./tests/package.json
RUN npm ci --no-audit --no-fund && npx turbo run build --filter=@stratus/cli... && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production STRATUS_HOST=0.0.0.0 STRATUS_PORT=4566
WORKDIR /stratus
COPY --from=build /stratus /stratus
EXPOSE 4566
ENTRYPOINT ["node", "cli/dist/src/main.js"]
CMD ["start"]
