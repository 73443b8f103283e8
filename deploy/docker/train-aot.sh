#!/bin/sh
# Records the JDK's AOT cache of Beckon (JDK 25 or newer, JEP 483/514/515): starts the packaged
# application with -XX:AOTCacheOutput against a throw-away local Redis, drives every function and
# an event stream through it the way clients do, then stops it; at exit the JVM writes
# <app dir>/app.aot, the classes it loaded and linked and the profiles of the methods it ran.
# Start Beckon later from <app dir> with the same java and -XX:AOTCache=app.aot.
#
#   ./mvnw package -DskipTests -Dquarkus.package.jar.type=aot-jar
#   deploy/docker/train-aot.sh target/quarkus-app /usr/lib/jvm/temurin-25/bin/java
#
# Needs redis-server, curl and openssl on the PATH; TRAIN_LOG=<file> keeps Beckon's log of the run. The cache only holds for the java it was
# made with and for these exact jars; Dockerfile.jvm runs this script while building the image.
set -eu

app=$(cd "$1" && pwd)
java=${2:-java}
here=$(cd "$(dirname "$0")" && pwd)
mint=$here/mint-token.sh
[ -x "$mint" ] || mint=$here/../mint-token.sh
work=$(mktemp -d)
redis_port=${TRAIN_REDIS_PORT:-16379}
port=${TRAIN_HTTP_PORT:-18089}
base=http://127.0.0.1:$port
issuer=https://training.beckon.invalid
pid=

cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
    [ -n "${TRAIN_LOG:-}" ] && cp "$work/beckon.log" "$TRAIN_LOG" 2>/dev/null || true
    redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no --daemonize yes \
    --logfile "$work/redis.log" --dir "$work" >/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/app-key.pem" 2>/dev/null
openssl pkey -in "$work/app-key.pem" -pubout -out "$work/app-public.pem"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/beckon-key.pem" 2>/dev/null

rm -f "$app/app.aot"
(
    cd "$app"
    QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=$port \
    QUARKUS_REDIS_HOSTS=redis://127.0.0.1:$redis_port \
    MP_JWT_VERIFY_PUBLICKEY_LOCATION=$work/app-public.pem MP_JWT_VERIFY_ISSUER=$issuer \
    BECKON_TOKEN_KEY_LOCATION=$work/beckon-key.pem BECKON_LOG_JSON=false \
    exec "$java" -XX:AOTCacheOutput=app.aot -Djava.util.logging.manager=org.jboss.logmanager.LogManager -jar quarkus-run.jar
) >"$work/beckon.log" 2>&1 &
pid=$!

alice=$("$mint" -k "$work/app-key.pem" -i "$issuer" -s alice -n Alice)
bob=$("$mint" -k "$work/app-key.pem" -i "$issuer" -s bob -n Bob)
server=$("$mint" -k "$work/app-key.pem" -i "$issuer" -s backend --server)

tries=0
until curl -sf -o /dev/null "$base/q/health/ready"; do
    tries=$((tries + 1))
    if [ "$tries" -gt 600 ] || ! kill -0 "$pid" 2>/dev/null; then
        echo "Beckon did not start for the training run:" >&2
        cat "$work/beckon.log" >&2
        exit 1
    fi
    sleep 0.1
done

call() { # token function body
    curl -s -H "Authorization: Bearer $1" -H 'Content-Type: application/json' -d "$3" "$base/$2"
}
field() { # name: the first string value of that field in the JSON on stdin
    sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p" | head -1
}

# both users listen, as clients do, for the whole run
curl -s -N -H "Authorization: Bearer $alice" "$base/events" >/dev/null &
alice_stream=$!
curl -s -N -H "Authorization: Bearer $bob" "$base/events" >/dev/null &
bob_stream=$!
sleep 1

round=0
while [ "$round" -lt "${TRAIN_ROUNDS:-150}" ]; do
    round=$((round + 1))
    invitation=$(call "$alice" createConference '{"participants":[{"userId":"bob","name":"Bob"}]}' | field invitationId)
    if [ -z "$invitation" ]; then
        echo "The training's createConference failed:" >&2
        call "$alice" createConference '{"participants":[{"userId":"bob","name":"Bob"}]}' >&2
        exit 1
    fi
    call "$bob" listInvitations '{"direction":"incoming","pendingOnly":true}' >/dev/null
    call "$bob" respond "{\"invitationId\":\"$invitation\",\"action\":\"accept\"}" >/dev/null
    conference=${invitation%-*}
    call "$alice" getConference "{\"conferenceId\":\"$conference\"}" >/dev/null
    call "$alice" presence '{"userIds":["alice","bob","carol"]}' >/dev/null
    call "$alice" invite "{\"conferenceId\":\"$conference\",\"invitees\":[{\"userId\":\"carol\"}]}" >/dev/null
    declined=$(call "$alice" createConference '{"protected":true,"participants":[{"userId":"bob"}]}' | field invitationId)
    call "$bob" respond "{\"invitationId\":\"$declined\",\"action\":\"decline\",\"reason\":\"busy\"}" >/dev/null
    canceled=$(call "$server" createConference '{"as":"alice","participants":[{"userId":"bob"}]}' | field invitationId)
    call "$alice" cancel "{\"invitationId\":\"$canceled\"}" >/dev/null
    call "$alice" leave "{\"conferenceId\":\"$conference\"}" >/dev/null
    call "$bob" leave "{\"conferenceId\":\"$conference\"}" >/dev/null
    call "$alice" listInvitations '{"direction":"outgoing"}' >/dev/null
    # the error paths clients hit: no token, a bad body, an unknown invitation
    curl -s -o /dev/null -H 'Content-Type: application/json' -d '{}' "$base/respond"
    call "$bob" respond '{' >/dev/null
    call "$bob" respond '{"invitationId":"nope-1","action":"accept"}' >/dev/null
done
curl -s -o /dev/null "$base/.well-known/jwks.json"
curl -s -o /dev/null "$base/q/health/ready"

kill "$alice_stream" "$bob_stream" 2>/dev/null || true
# a stop ends the training: the JVM then assembles the cache before it exits
kill -TERM "$pid"
wait "$pid" || true
pid=
if [ ! -s "$app/app.aot" ]; then
    echo "The JVM wrote no AOT cache:" >&2
    tail -n 40 "$work/beckon.log" >&2
    exit 1
fi
echo "AOT cache written: $app/app.aot ($(du -h "$app/app.aot" | cut -f1)); run from $app: $java -XX:AOTCache=app.aot -jar quarkus-run.jar"
