# Multi-stage build: cgo is needed for SQLite (mattn/go-sqlite3).
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=1 go build -trimpath -ldflags="-s -w" -o /out/beacon .

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates tzdata fonts-dejavu-core fonts-noto-cjk \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/beacon --create-home beacon \
 && mkdir -p /var/lib/beacon/data \
 && chown beacon:beacon /var/lib/beacon/data
# The data folder exists and belongs to beacon before VOLUME: a fresh named
# volume is initialized from it, so the server can write there.
COPY --from=build /out/beacon /usr/local/bin/beacon
USER beacon
WORKDIR /var/lib/beacon
ENV BEACON_ADDR=:8080 \
    BEACON_DATABASE=/var/lib/beacon/data/beacon.db \
    BEACON_LOG_FORMAT=json
VOLUME ["/var/lib/beacon/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s CMD ["/usr/local/bin/beacon", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/beacon"]
CMD ["serve"]
