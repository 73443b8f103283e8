#!/bin/sh
# Signs a Beckon user or server token (RS256 JWT) with the application's private key, using only
# openssl: what your backend does in code, for a first production token or a script.
#
#   deploy/mint-token.sh -k app-private.pem -i https://your-app.example -s alice [-n Alice] [-t 3600]
#   deploy/mint-token.sh -k app-private.pem -i https://your-app.example -s backend --server
#
# -k  the application's private key (PEM); Beckon verifies with its public half
#     (MP_JWT_VERIFY_PUBLICKEY_LOCATION)
# -i  the issuer, iss: the value of MP_JWT_VERIFY_ISSUER (leave out when that is unset)
# -s  the user id, sub: 1..128 characters of A-Z a-z 0-9 . _ @ : -
# -n  the display name shown to the people the user calls
# -t  lifetime in seconds (default 3600)
# --server  a server token: "groups": ["beckon-server"], acts for any user named in "as"
set -eu

key= issuer= subject= name= ttl=3600 server=
while [ $# -gt 0 ]; do
    case "$1" in
        -k) key=$2; shift 2 ;;
        -i) issuer=$2; shift 2 ;;
        -s) subject=$2; shift 2 ;;
        -n) name=$2; shift 2 ;;
        -t) ttl=$2; shift 2 ;;
        --server) server=1; shift ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
[ -n "$key" ] && [ -n "$subject" ] || { echo "usage: $0 -k private.pem [-i issuer] -s subject [-n name] [-t seconds] [--server]" >&2; exit 2; }
case "$subject" in *[!A-Za-z0-9._@:-]*) echo "-s: a user id is 1..128 characters of A-Z a-z 0-9 . _ @ : -" >&2; exit 2 ;; esac

# JSON string escaping for the free-text values (backslash and double quote)
json() { printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g'; }
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

now=$(date +%s)
payload="{\"sub\":\"$subject\",\"iat\":$now,\"exp\":$((now + ttl))"
[ -n "$issuer" ] && payload="$payload,\"iss\":\"$(json "$issuer")\""
[ -n "$name" ] && payload="$payload,\"name\":\"$(json "$name")\""
[ -n "$server" ] && payload="$payload,\"groups\":[\"beckon-server\"]"
payload="$payload}"

input="$(printf '%s' '{"alg":"RS256","typ":"JWT"}' | b64url).$(printf '%s' "$payload" | b64url)"
signature=$(printf '%s' "$input" | openssl dgst -sha256 -sign "$key" -binary | b64url)
printf '%s.%s\n' "$input" "$signature"
