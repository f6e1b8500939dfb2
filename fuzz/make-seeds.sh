#!/usr/bin/env bash
# Regenerates fuzz/seeds/: the raw answers of the panel simulator (sim/) in every dialect, to
# every action, in the states an order goes through, and with every fault that still sends an
# answer, plus hand-written inputs for the parsers of JavaScript values and forms.
# Usage (from anywhere): bash fuzz/make-seeds.sh   (builds and starts the simulator itself)
#
# An answer seed is one byte for the HTTP status and Retry-After header the answer came with
# (see `Answer::from_input` in fuzz/src/lib.rs), then the body exactly as it came off the socket.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/sim-lib.sh
trap stop_simulators EXIT

cargo build -q -p smm-panel-sim
start_simulator seeds --control --clock-speed 0
API=$SIM_URL_SEEDS
SIM=${API%/api/v2}/__sim
OUT=fuzz/seeds
rm -rf "$OUT"
mkdir -p "$OUT"
TMP=$(mktemp -d)
trap 'stop_simulators; rm -rf "$TMP"' EXIT

# Must list fuzz/src/lib.rs STATUSES and RETRY_AFTER in the same order.
STATUSES=(200 201 204 299 301 400 401 402 404 422 429 500 502 503 520 999)
RETRY_AFTER=("" "1" "2.5" "Wed, 21 Oct 2015 07:28:00 GMT")

control() { curl -sf -o /dev/null -X "$1" "$SIM/$2" ${3:+-d "$3"}; }

# capture TARGET NAME FIELD=VALUE... : one API request, saved as a seed of TARGET.
capture() {
  local target=$1 name=$2; shift 2
  local args=() f
  for f in "$@"; do args+=(--data-urlencode "$f"); done
  local code
  code=$(curl -s -o "$TMP/body" -D "$TMP/head" -w '%{http_code}' "$API" "${args[@]}")
  local retry
  retry=$(grep -i '^retry-after:' "$TMP/head" | head -1 | sed 's/^[^:]*: *//; s/\r$//' || true)
  local s r head=0
  for s in "${!STATUSES[@]}"; do [ "${STATUSES[$s]}" = "$code" ] && head=$s; done
  for r in "${!RETRY_AFTER[@]}"; do [ "${RETRY_AFTER[$r]}" = "$retry" ] && head=$((head | r << 4)); done
  if [ "$head" = 0 ] && [ "$code" != 200 ]; then echo "status $code is not in the fuzz table" >&2; exit 1; fi
  mkdir -p "$OUT/$target"
  { printf "\\x$(printf %02x "$head")"; cat "$TMP/body"; } > "$OUT/$target/$DIALECT-$name"
}

K=key=demo-key
for DIALECT in perfect seed smartpanel laravel; do
  control POST reset
  control POST config "{\"dialect\":\"$DIALECT\"}"
  capture services ok $K action=services
  cp "$OUT/services/$DIALECT-ok" "$TMP/services"
  mkdir -p "$OUT/services_agreement"
  tail -c +2 "$TMP/services" > "$OUT/services_agreement/$DIALECT"
  capture services bad-key key=nobody action=services
  capture balance ok $K action=balance
  capture balance bad-key key=nobody action=balance
  capture balance bad-action $K action=nothing
  # 23501 normal, 23502 drip-feed, 23503 a second service, 23504 to cancel while pending.
  capture add normal $K action=add service=101 link=https://instagram.com/p/a quantity=1000
  capture add dripfeed $K action=add service=101 link=https://instagram.com/p/b quantity=100 runs=3 interval=10 intervals=10
  capture add other $K action=add service=102 link=https://instagram.com/p/c quantity=1234
  capture add comments $K action=add service=105 link=https://instagram.com/p/d $'comments=Nice!\nGreat shot\nWow\nLove it\nSo good'
  capture add bad-service $K action=add service=999 link=https://instagram.com/p/e quantity=1000
  capture add bad-quantity $K action=add service=101 link=https://instagram.com/p/e quantity=10
  capture add same-link $K action=add service=101 link=https://instagram.com/p/a quantity=1000
  capture add no-dripfeed $K action=add service=104 link=https://instagram.com/p/f quantity=100 runs=2 interval=5
  capture add funds $K action=add service=101 link=https://instagram.com/p/g quantity=100000
  capture status pending $K action=status order=23501
  capture status unknown $K action=status order=99999
  capture dripfeed_status active $K action=status order=23502 type=dripfeed
  capture dripfeed_status unknown $K action=status order=99999 type=dripfeed
  capture many_status pending $K action=status orders=23501,23502,23503,1
  capture many_dripfeed_status active $K action=status orders=23502,23501,1 type=dripfeed
  capture cancel pending $K action=cancel order=23504
  control POST clock '{"advance_seconds":300}'
  capture status in-progress $K action=status order=23501
  capture many_status in-progress $K action=status orders=23501,23502,23503,1
  capture dripfeed_status running $K action=status order=23502 type=dripfeed
  capture refill too-early $K action=refill order=23501
  control POST clock '{"advance_seconds":100000}'
  capture status completed $K action=status order=23501
  capture status other $K action=status order=23503
  capture many_status completed $K action=status orders=23501,23502,23503,1
  capture dripfeed_status completed $K action=status order=23502 type=dripfeed
  capture many_dripfeed_status completed $K action=status orders=23502,23501,1 type=dripfeed
  capture refill ok $K action=refill order=23501
  capture refill no-refill $K action=refill order=23503
  capture refill unknown $K action=refill order=99999
  capture many_refill mixed $K action=refill orders=23501,23502,23503,1
  capture refill_status pending $K action=refill_status refill=1
  capture refill_status unknown $K action=refill_status refill=99
  capture many_refill_status mixed $K action=refill_status refills=1,2,3,23501
  control POST clock '{"advance_seconds":1000}'
  capture refill_status completed $K action=refill_status refill=1
  capture cancel completed $K action=cancel order=23501
  capture cancel unknown $K action=cancel order=99999
  capture many_cancel mixed $K action=cancel orders=23501,23502,23503,1
  capture many_status too-many $K action=status "orders=$(seq -s, 1 101)"
done

# Every fault that still sends an answer, on each action (services in one dialect only: its
# answer is the largest by far).
DIALECT=perfect
FAULTS=(
  '"fault":"html"' '"fault":"malformed_json"' '"fault":"empty"' '"fault":"bom"' '"fault":"php_notice"'
  '"fault":"redirect"' '"fault":"rate_limit"' '"fault":"rate_limit","retry_after":null' '"fault":"huge_body","size":3000'
  '"fault":"status"'
  '"fault":"status","status":502,"body":"<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"'
  '"fault":"status","status":520,"body":"error code: 520"'
)
for DIALECT in perfect smartpanel; do
  control POST reset
  control POST config "{\"dialect\":\"$DIALECT\"}"
  capture add setup $K action=add service=101 link=https://instagram.com/p/a quantity=1000
  control POST clock '{"advance_seconds":100000}'
  capture refill setup $K action=refill order=23501
  n=0
  for fault in "${FAULTS[@]}"; do
    n=$((n + 1))
    name=$(printf 'fault%02d-%s' "$n" "$(sed 's/^"fault":"\([a-z_]*\)".*/\1/' <<<"$fault")")
    arm() { control POST faults "{$fault,\"action\":\"$1\",\"process\":false}"; }
    if [ "$DIALECT" = perfect ]; then arm services; capture services "$name" $K action=services; fi
    arm balance; capture balance "$name" $K action=balance
    arm add; capture add "$name" $K action=add service=101 link=https://instagram.com/p/z quantity=1000
    arm status; capture status "$name" $K action=status order=23501
    arm status; capture dripfeed_status "$name" $K action=status order=23501 type=dripfeed
    arm status; capture many_status "$name" $K action=status orders=23501,1
    arm refill; capture refill "$name" $K action=refill order=23501
    arm refill; capture many_refill "$name" $K action=refill orders=23501,1
    arm refill_status; capture refill_status "$name" $K action=refill_status refill=1
    arm refill_status; capture many_refill_status "$name" $K action=refill_status refills=1,2
    arm cancel; capture cancel "$name" $K action=cancel order=23501
    arm cancel; capture many_cancel "$name" $K action=cancel orders=23501,1
  done
done

# CodeIgniter's PHP error block before the JSON (seen in the wild; not a sim fault).
CI_ERROR='<div style="border:1px solid #990000;padding-left:20px;margin:0 0 10px 0;">
<h4>A PHP Error was encountered</h4>
<p>Severity: Notice</p>
<p>Message:  Undefined index: type</p>
<p>Filename: controllers/Api.php</p>
<p>Line Number: 42</p>
</div>'
{ printf '\x00'; printf '%s{"order":23501}' "$CI_ERROR"; } > "$OUT/add/codeigniter-notice"
{ printf '\x00'; printf '%s{"balance":"100.84292","currency":"USD"}' "$CI_ERROR"; } > "$OUT/balance/codeigniter-notice"
{ printf '\x00'; printf '%s' "$CI_ERROR"; tail -c +2 "$OUT/status/perfect-completed"; } > "$OUT/status/codeigniter-notice"

# JavaScript values: client and call options, IDs, orders, ID lists, watch targets, proxy options.
seed() { mkdir -p "$OUT/$1"; printf '%s' "$3" > "$OUT/$1/$2"; }
seed js_options config '{"apiUrl":"https://panel.example/api/v2","key":"demo-key","timeoutMs":30000,"retry":{"retries":2,"baseDelayMs":500,"maxDelayMs":8000},"allowHttp":false}'
seed js_options config-proxy '{"apiUrl":"/api/smm","timeoutMs":10000}'
seed js_options call-options '{"timeoutMs":5000,"retries":0}'
seed js_options catalog-options '{"maxAgeMs":300000}'
seed js_options id '23501'
seed js_options id-text '"23501"'
seed js_options ids '[23501,23502,"23503",23501]'
seed js_options order '{"service":101,"link":"https://instagram.com/p/xyz","quantity":1000,"runs":5,"interval":30}'
seed js_options watch-targets '[23501,{"order":23502,"quantity":1000},{"order":23503,"runs":3,"dripfeed":true}]'
seed js_options watch-options '{"intervalMs":5000}'
seed js_options proxy '{"apiUrl":"https://panel.example/api/v2","key":"server-key","allowedActions":["services","balance","add"],"allowedOrigins":["https://shop.example"],"rateLimit":{"requests":10,"perMs":1000},"allowHttp":false}'
seed order default '{"service":101,"link":"https://instagram.com/p/xyz","quantity":1000}'
seed order dripfeed '{"service":101,"link":"https://instagram.com/p/abc","quantity":100,"runs":3,"interval":10}'
seed order comments '{"type":"custom_comments","service":105,"link":"https://instagram.com/p/xyz","comments":["Nice!","Great shot","Love it","Wow","So good"]}'
seed order subscriptions '{"type":"subscriptions","service":115,"username":"someone","min":100,"max":200,"posts":10,"delay":30,"expiry":"2027-01-31"}'
seed order package '{"type":"package","service":116,"link":"https://instagram.com/p/xyz"}'
seed order web-traffic '{"type":"web_traffic","service":801,"link":"https://shop.example/","quantity":1000,"country":"US","device":2,"type_of_traffic":1,"google_keyword":"smm panel"}'
seed order mentions '{"type":"mentions_with_hashtags","service":101,"link":"https://instagram.com/p/xyz","quantity":100,"usernames":["a","b"],"hashtags":["#x","#y"]}'
# NUL-separated parts (bash strings cannot hold NUL): form pairs, watch targets and results.
seed_parts() {
  local target=$1 name=$2 first=$3; shift 3
  mkdir -p "$OUT/$target"
  { printf '%s' "$first"; local p; for p in "$@"; do printf '\0%s' "$p"; done; } > "$OUT/$target/$name"
}
# proxy: one byte picking method and origin (0: POST, no origin; 4: POST from the allowed
# origin; 2: OPTIONS), then the form body.
seed_proxy() { mkdir -p "$OUT/proxy"; { printf "\\x$1"; printf '%s' "$3"; } > "$OUT/proxy/$2"; }
seed_proxy 00 services 'action=services'
seed_proxy 04 add 'action=add&service=101&link=https%3A%2F%2Finstagram.com%2Fp%2Fxyz&quantity=1000&runs=3&interval=10'
seed_proxy 00 comments 'key=browser&action=add&service=105&link=https%3A%2F%2Fx.example%2Fp&comments=Nice%21%0AGreat+shot'
seed_proxy 00 subscription 'action=add&service=115&username=someone&min=100&max=200&posts=10&delay=30&expiry=31%2F01%2F2027'
seed_proxy 00 status-many 'action=status&orders=23501%2C23502&type=dripfeed'
seed_proxy 00 refill-status 'action=refill_status&refill=1'
seed_proxy 02 preflight ''
seed_parts form pairs key demo-key action add link $'https://instagram.com/p/xyz?a=1&b=\xc3\xa9 x+y%' comments $'Nice!\nGreat shot'
seed form encoded 'key=demo-key&action=add&link=https%3A%2F%2Fx.example%2F%3Fa%3D1%26b%3D%C3%A9+x%2By%25&bad=%zz%4&=&&x'
# watch: targets, a NUL byte, then a poll's answer (as the answer seeds above).
mkdir -p "$OUT/watch"
for f in "$OUT"/many_status/* "$OUT"/many_dripfeed_status/*; do
  name=$(basename "$(dirname "$f")")-$(basename "$f")
  case $name in many_status-*) targets='[23501,{"order":23502,"quantity":1000},23503,1]' ;; *) targets='[{"order":23502,"runs":3,"dripfeed":true},23501]' ;; esac
  { printf '%s\0' "$targets"; cat "$f"; } > "$OUT/watch/$name"
done
echo "seeds: $(find "$OUT" -type f | wc -l) files, $(du -sk "$OUT" | cut -f1) KB"
