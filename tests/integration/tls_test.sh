#!/usr/bin/env bash
# TLS end to end (DESIGN §5): the server serves HTTPS with a self-signed
# certificate; a device trusts it through --ca-file and syncs; without it the
# device refuses the connection; plain HTTP off loopback needs --insecure.
source "$(dirname "$0")/lib.sh" "$@"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/key.pem" -out "$WORK/cert.pem" -days 1 \
  -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 >/dev/null 2>&1
mkdir -p "$WORK/server"
"$FSS" --data "$WORK/server" team add north >/dev/null
add_user lina rep north
"$FSS" --data "$WORK/server" serve --listen 127.0.0.1:0 --port-file "$WORK/port" \
  --tls-cert "$WORK/cert.pem" --tls-key "$WORK/key.pem" >>"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do [ -s "$WORK/port" ] && break; sleep 0.05; done
URL="https://127.0.0.1:$(cat "$WORK/port")"

fs lina init >/dev/null
status=0
echo "$PASSWORD" | fs lina login --server "$URL" --user lina --password-stdin >/dev/null 2>"$WORK/err" || status=$?
check "an untrusted certificate is refused" "$status" 1
grep -q "certificate" "$WORK/err" && echo "ok - the error names the certificate" || fail "error does not mention the certificate: $(cat "$WORK/err")"
echo "$PASSWORD" | fs lina login --server "$URL" --user lina --password-stdin --ca-file "$WORK/cert.pem" >/dev/null
c=$(fs lina customer add --name 北京昭智教育 --level A)
sync_dev lina
check "synced over HTTPS" "$(fs lina status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["pending"])')" 0
check "the server holds the customer" "$("$FSS" --data "$WORK/server" dump --as lina | python3 -c "import json,sys; print('$c' in json.load(sys.stdin)['customer'])")" True
kill -TERM "$SERVER_PID"; wait "$SERVER_PID" || true; SERVER_PID=""

status=0
"$FSS" --data "$WORK/server" serve --listen 0.0.0.0:0 >"$WORK/out" 2>&1 || status=$?
check "plain HTTP on every address is refused without --insecure" "$status" 1
grep -q -- "--insecure" "$WORK/out" && echo "ok - the message names --insecure" || fail "message: $(cat "$WORK/out")"
finish
