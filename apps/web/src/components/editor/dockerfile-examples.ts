/** A correct line for each instruction, shown when a learner's line is missing something. */
export const INSTRUCTION_EXAMPLES: Readonly<Record<string, string>> = {
  ADD: "ADD app.tar.gz /app/",
  ARG: "ARG VERSION=1.0",
  CMD: 'CMD ["node", "index.js"]',
  COPY: "COPY index.js /app/",
  ENTRYPOINT: 'ENTRYPOINT ["node", "index.js"]',
  ENV: "ENV PORT=8080",
  EXPOSE: "EXPOSE 8080",
  FROM: "FROM debian:bookworm-slim",
  HEALTHCHECK: "HEALTHCHECK CMD curl -f http://localhost/",
  LABEL: 'LABEL version="1.0"',
  MAINTAINER: 'LABEL maintainer="you@example.com"',
  ONBUILD: "ONBUILD RUN npm install",
  RUN: "RUN apt-get update",
  SHELL: 'SHELL ["/bin/bash", "-c"]',
  STOPSIGNAL: "STOPSIGNAL SIGTERM",
  USER: "USER node",
  VOLUME: "VOLUME /data",
  WORKDIR: "WORKDIR /app",
};

/** The flags each instruction accepts (Docker 26 with BuildKit), for "did you mean" on a misspelt flag. */
export const INSTRUCTION_FLAGS: Readonly<Record<string, readonly string[]>> = {
  ADD: ["chown", "chmod", "link", "checksum", "keep-git-dir", "exclude"],
  COPY: ["from", "chown", "chmod", "link", "parents", "exclude"],
  FROM: ["platform"],
  HEALTHCHECK: ["interval", "timeout", "start-period", "start-interval", "retries"],
};
