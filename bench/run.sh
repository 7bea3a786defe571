#!/usr/bin/env bash
# The benchmark, one command: `bench/run.sh` (from anywhere). Builds in release, checks that every
# contestant loads the same values, then prints four tables: the load of the shared fixture by each
# contestant, the scale scenarios, the compile costs, and the `Live::get` figures.
#
# Instructions come from `valgrind --tool=callgrind` (stable on a noisy machine): each figure is
# the difference between a run of K+1 loads and a run of 1 load, divided by K, so process start,
# environment set-up and one-time work (regex compilation, lazy statics) cancel out. "first load"
# is a run of 1 load minus a run of 0: what a process pays for its single load at startup.
# Wall-clock figures are medians of many single loads in one process (`load time`).
#
# Needs: cargo, valgrind (installed with apt-get when missing and run as root). Takes about 10-15 minutes on 2 cores.
# Set BENCH_SKIP_COMPILE=1 to skip the compile-cost step (the longest one).
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
LOAD="$BENCH/target/release/load"
OUT="$BENCH/target/results.md"
cd "$BENCH"

if ! command -v valgrind >/dev/null; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		echo "[bench] installing valgrind" >&2
		apt-get update -qq && apt-get install -y -qq valgrind >/dev/null
	else
		echo "run.sh needs valgrind: apt-get install -y valgrind" >&2
		exit 1
	fi
fi

log() { echo "[bench $(date +%H:%M:%S)] $*" >&2; }

log "building (release)"
cargo build --release --quiet --bin load
log "checking that every contestant loads the same values"
"$LOAD" check >&2

# instr ARGS...: instructions executed by `load ARGS...` under callgrind.
instr() {
	valgrind --tool=callgrind --callgrind-out-file=/dev/null "$LOAD" "$@" 2>&1 >/dev/null |
		sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
# per_load WHO VARS K: instructions per load, from runs of 1 and K+1 loads.
per_load() {
	local a b
	a=$(instr run "$1" 1 --extra-vars "$2")
	b=$(instr run "$1" $(($3 + 1)) --extra-vars "$2")
	echo $(((b - a) / $3))
}
# wall WHO VARS: median nanoseconds of one load.
wall() { "$LOAD" time "$1" --extra-vars "$2" | sed -n 's/.*median_ns=\([0-9]*\).*/\1/p'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
us() { awk -v n="$1" 'BEGIN { printf "%.1f", n / 1000 }'; }
thousands() { echo "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }

{
	echo "Run: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); $(rustc --version)"
	echo
} >"$OUT"

# --- 1. The shared fixture ----------------------------------------------------------------------
log "fixture: instructions and wall-clock per contestant"
declare -A I10 I5K FIRST WALL ALLOCS
FIXTURE=(hand ours figment config confique hand-getenv ours-exact)
for who in "${FIXTURE[@]}"; do
	I10[$who]=$(per_load "$who" 10 100)
	I5K[$who]=$(per_load "$who" 5000 100)
	zero=$(instr run "$who" 0 --extra-vars 10)
	one=$(instr run "$who" 1 --extra-vars 10)
	FIRST[$who]=$((one - zero))
	WALL[$who]=$(wall "$who" 10)
	ALLOCS[$who]=$("$LOAD" allocs "$who" --extra-vars 10 | sed -n 's/^allocs_per_load=//p')
	log "  $who: ${I10[$who]} instr/load, ${ALLOCS[$who]} allocations/load"
done
{
	echo "Load of the shared fixture (file + 8 env overrides + 4 defaults + validations), 10 unrelated env vars unless said:"
	echo
	echo "| contestant | instructions / load | vs hand | with 5,000 unrelated vars | vs hand | first load in a process | wall median | vs hand | allocations / load |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	for who in "${FIXTURE[@]}"; do
		echo "| $who | $(thousands "${I10[$who]}") | $(ratio "${I10[$who]}" "${I10[hand]}")x | $(thousands "${I5K[$who]}") | $(ratio "${I5K[$who]}" "${I5K[hand]}")x | $(thousands "${FIRST[$who]}") | $(us "${WALL[$who]}") µs | $(ratio "${WALL[$who]}" "${WALL[hand]}")x | ${ALLOCS[$who]} |"
	done
	echo
	echo "(\`hand-getenv\` is the by-hand floor for loaders that look exact names up (\`getenv\` per name, as confique does) instead of scanning the environment; \`ours-exact\` is our load of the same struct with \`case_sensitive\` names. Allocations are counted by a counting global allocator, over 100 loads after 10.)"
	echo
} >>"$OUT"

# --- 2. Scale -----------------------------------------------------------------------------------
log "scale: 10, 100, 1,000 fields; 10 and 5,000 unrelated vars"
{
	echo "Scale: a flat struct of N fields (all set by the file but a quarter, which take defaults and are range-checked; 2 env overrides):"
	echo
	echo "| contestant | fields | instructions / load | per field | vs hand | with 5,000 unrelated vars | extra for 4,990 vars | wall median |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
} >>"$OUT"
declare -A HAND
for n in 10 100 1000; do
	k=100
	[ "$n" = 1000 ] && k=10
	for who in hand ours figment; do
		[ "$who" = figment ] && [ "$n" = 1000 ] && continue
		a=$(per_load "scale:$who:$n" 10 $k)
		b=$(per_load "scale:$who:$n" 5000 $k)
		w=$(wall "scale:$who:$n" 10)
		[ "$who" = hand ] && HAND[$n]=$a
		log "  $who $n: $a instr/load"
		echo "| $who | $n | $(thousands "$a") | $(thousands $((a / n))) | $(ratio "$a" "${HAND[$n]}")x | $(thousands "$b") | $(thousands $((b - a))) | $(us "$w") µs |" >>"$OUT"
	done
done
{
	echo
	echo "(figment stops at 100 fields: a serde-derived struct of 1,000 fields deserialized by toml or figment does not compile in 15 minutes at opt-level 3; hand at every size is table-driven, see build.rs.)"
	echo
} >>"$OUT"

# --- 2b. Lists of settings structs ----------------------------------------------------------------
log "lists: a list of 10, 100, 1,000 settings structs"
{
	echo "Lists: a list of N settings structs (\`[[servers]]\`: a host, a port and a weight with defaults and range checks; one indexed variable \`APP_SERVERS__0__HOST\`), by hand (\`toml::from_str\` into serde structs, the indexed variables overlaid, every element checked) and by us:"
	echo
	echo "| contestant | elements | instructions / load | per element | vs hand |"
	echo "| --- | ---: | ---: | ---: | ---: |"
} >>"$OUT"
declare -A LHAND
for n in 10 100 1000; do
	k=100
	[ "$n" = 1000 ] && k=10
	for who in hand ours; do
		a=$(per_load "list:$who:$n" 10 $k)
		[ "$who" = hand ] && LHAND[$n]=$a
		log "  list $who $n: $a instr/load"
		echo "| $who | $n | $(thousands "$a") | $(thousands $((a / n))) | $(ratio "$a" "${LHAND[$n]}")x |" >>"$OUT"
	done
done
echo >>"$OUT"

# --- 3. Compile cost ----------------------------------------------------------------------------
if [ "${BENCH_SKIP_COMPILE:-}" != 1 ]; then
	log "compile: a 30-field struct, rebuild after an edit (debug, median of 9, taking turns)"
	TMP="$(mktemp -d)"
	trap 'rm -rf "$TMP"' EXIT
	cp -r "$BENCH/compile/." "$TMP/"
	cp "$BENCH/Cargo.lock" "$TMP/Cargo.lock"
	sed -i "s#path = \"../../../settings-core\"#path = \"$ROOT/settings-core\"#" "$TMP/ours/Cargo.toml"
	# ours-literal: the same app without its one pattern that needs a regex (`region`; `issuer`'s
	# `^https://` is a literal, tested without one), to show what a program that has no such
	# pattern does not link.
	cp -r "$TMP/ours" "$TMP/ours-literal"
	sed -i 's/name = "compile-ours"/name = "compile-ours-literal"/' "$TMP/ours-literal/Cargo.toml"
	grep -v 'regex = "^\[a-z\]{2}' "$TMP/ours/src/main.rs" >"$TMP/ours-literal/src/main.rs"
	sed -i 's/^members = \[/members = ["ours-literal", /' "$TMP/Cargo.toml"
	export CARGO_TARGET_DIR="$TMP/target"
	(cd "$TMP" && cargo build --quiet)
	# The edit: rename the last field back and forth, so every rebuild has real work to do.
	toggle() {
		if grep -q 'pub extra_flag:' "$1"; then
			sed -i 's/pub extra_flag:/pub extra_flag_x:/' "$1"
		else
			sed -i 's/pub extra_flag_x:/pub extra_flag:/' "$1"
		fi
	}
	# The contestants of the rebuild measurements.
	REBUILT=(serde confique ours ours-literal)
	# medians CMD RESULT: for each contestant, the median of 9 timed `cargo CMD` runs, each after
	# an edit, into the associative array named RESULT. The contestants take turns round by
	# round, so a drift in the machine's speed over the minutes of the measurement falls on all
	# of them alike.
	declare -A TIMES
	medians() {
		local c t0 t1
		local -n result="$2"
		for c in "${REBUILT[@]}"; do
			toggle "$TMP/$c/src/main.rs"
			(cd "$TMP" && cargo "$1" --quiet -p "compile-$c" 2>/dev/null)
			TIMES[$c]=""
		done
		for _ in 1 2 3 4 5 6 7 8 9; do
			for c in "${REBUILT[@]}"; do
				toggle "$TMP/$c/src/main.rs"
				t0=$(date +%s%N)
				(cd "$TMP" && cargo "$1" --quiet -p "compile-$c" 2>/dev/null)
				t1=$(date +%s%N)
				TIMES[$c]="${TIMES[$c]} $(((t1 - t0) / 1000000))"
			done
		done
		for c in "${REBUILT[@]}"; do
			result[$c]=$(printf '%s\n' ${TIMES[$c]} | sort -n | sed -n 5p)
			log "  $c: $1 ${result[$c]} ms (${TIMES[$c]# })"
		done
	}
	declare -A REBUILD RECHECK NODEBUG
	medians build REBUILD
	# The same edits under `cargo check`: expansion and type checking only, no codegen or link.
	(cd "$TMP" && cargo check --quiet)
	medians check RECHECK
	# The same rebuild with the dependencies built without debug info (an application's
	# `[profile.dev.package."*"] debug = false`): most of what each derive's build links is the
	# debug info of the libraries below it.
	log "compile: the same rebuild, dependencies without debug info"
	cp "$TMP/Cargo.toml" "$TMP/Cargo.toml.orig"
	printf '\n[profile.dev.package."*"]\ndebug = false\n' >>"$TMP/Cargo.toml"
	export CARGO_TARGET_DIR="$TMP/target-nodebug"
	(cd "$TMP" && cargo build --quiet)
	medians build NODEBUG
	mv "$TMP/Cargo.toml.orig" "$TMP/Cargo.toml"

	# A new application's first build: each in a fresh target directory, default features (for
	# us: the derive alone), then its release binary's size.
	log "compile: a new application's clean build (debug) and release size, fresh target dirs"
	declare -A CLEAN SIZE
	for c in ours confique figment; do
		export CARGO_TARGET_DIR="$TMP/clean-$c"
		t0=$(date +%s%N)
		if (cd "$TMP" && cargo build --quiet -p "compile-$c" 2>/dev/null); then
			CLEAN[$c]=$((($(date +%s%N) - t0) / 1000000))
		else
			CLEAN[$c]=""
		fi
		(cd "$TMP" && cargo build --quiet --release -p "compile-$c" 2>/dev/null) &&
			SIZE[$c]=$(stat -c %s "$CARGO_TARGET_DIR/release/compile-$c") || SIZE[$c]=""
		log "  $c: clean build ${CLEAN[$c]} ms, release binary ${SIZE[$c]} bytes"
	done
	# The app without a regex check, in ours' target directory: only the app itself is built.
	export CARGO_TARGET_DIR="$TMP/clean-ours"
	(cd "$TMP" && cargo build --quiet --release -p compile-ours-literal 2>/dev/null) &&
		SIZE[ours-literal]=$(stat -c %s "$CARGO_TARGET_DIR/release/compile-ours-literal") || SIZE[ours-literal]=""
	log "  ours-literal: release binary ${SIZE[ours-literal]} bytes"
	unset CARGO_TARGET_DIR
	secs() { awk -v m="$1" 'BEGIN { printf "%.2f s", m / 1000 }'; }
	{
		echo "Compile: rebuild of a binary crate declaring one 30-field settings struct and loading it, after renaming a field (debug, incremental, median of 9, the contestants taking turns; the build includes codegen and linking against each library):"
		echo
		echo "| derive | rebuild (\`cargo build\`) | vs plain serde | re-check (\`cargo check\`) | vs plain serde | rebuild, dependencies without debug info | vs plain serde |"
		echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
		for c in "${REBUILT[@]}"; do
			case $c in
			serde) label="plain \`#[derive(Deserialize)]\` + toml" ;;
			confique) label="confique \`#[derive(Config)]\`" ;;
			ours) label="ours \`#[derive(Settings)]\`" ;;
			ours-literal) label="ours, without its one regex check" ;;
			esac
			echo "| $label | $(secs "${REBUILD[$c]}") | $(ratio "${REBUILD[$c]}" "${REBUILD[serde]}")x | $(secs "${RECHECK[$c]}") | $(ratio "${RECHECK[$c]}" "${RECHECK[serde]}")x | $(secs "${NODEBUG[$c]}") | $(ratio "${NODEBUG[$c]}" "${NODEBUG[serde]}")x |"
		done
		echo
		echo "A new application's first build: the crate above (one 30-field struct, loaded from a file and the environment) on each library with its default features, \`cargo build\` in a fresh target directory (debug), and the size of its \`--release\` binary:"
		echo
		echo "| application on | clean build | vs confique | release binary | vs confique |"
		echo "| --- | ---: | ---: | ---: | ---: |"
		for c in ours confique figment; do
			if [ -n "${CLEAN[$c]}" ] && [ -n "${SIZE[$c]}" ]; then
				echo "| $c | $(secs "${CLEAN[$c]}") | $(ratio "${CLEAN[$c]}" "${CLEAN[confique]}")x | $(awk -v b="${SIZE[$c]}" 'BEGIN { printf "%.2f MB", b / 1e6 }') | $(ratio "${SIZE[$c]}" "${SIZE[confique]}")x |"
			else
				echo "| $c | FAILED to build | | | |"
			fi
		done
		if [ -n "${SIZE[ours-literal]}" ]; then
			echo "| ours, without its one regex check (same clean build) | | | $(awk -v b="${SIZE[ours-literal]}" 'BEGIN { printf "%.2f MB", b / 1e6 }') | $(ratio "${SIZE[ours-literal]}" "${SIZE[confique]}")x |"
		fi
		echo
	} >>"$OUT"
fi

# --- 4. Live ------------------------------------------------------------------------------------
log "live: Live::get and LiveReader::get cost, 2-thread throughput, write-to-visible latency"
g1=$(instr run live-get 1)
g2=$(instr run live-get 1000001)
GET_INSTR=$(awk -v a="$g1" -v b="$g2" 'BEGIN { printf "%.1f", (b - a) / 1000000 }')
r1=$(instr run live-reader 1)
r2=$(instr run live-reader 1000001)
READER_INSTR=$(awk -v a="$r1" -v b="$r2" 'BEGIN { printf "%.1f", (b - a) / 1000000 }')
p1=$(instr run plain-ref 1)
p2=$(instr run plain-ref 1000001)
REF_INSTR=$(awk -v a="$p1" -v b="$p2" 'BEGIN { printf "%.1f", (b - a) / 1000000 }')
LIVE="$("$LOAD" live)"
val() { echo "$LIVE" | sed -n "s/^$1=//p"; }
{
	echo "Live settings (the fixture, default watch settings):"
	echo
	echo "| figure | value |"
	echo "| --- | ---: |"
	echo "| \`Live::get()\` + one field read, instructions | $GET_INSTR |"
	echo "| \`Live::get()\`, 1 thread, median of 5 x 10M reads | $(val get_ns) ns |"
	echo "| \`LiveReader::get()\` + one field read, instructions (a plain reference: $REF_INSTR) | $READER_INSTR |"
	echo "| \`LiveReader::get()\`, 1 thread, median of 5 x 10M reads (a plain reference: $(val ref_ns) ns) | $(val reader_get_ns) ns |"
	echo "| reads per second, 1 thread (best of 5) | $(thousands "$(val reads_per_sec_1)") |"
	echo "| reads per second, 2 threads in total (best of 5) | $(thousands "$(val reads_per_sec_2)") ($(val ratio_2_to_1)x) |"
	echo "| 2 threads vs 1, reads per second of each thread's own CPU time (median of 5) | $(val ratio_2_to_1_cpu)x |"
	echo "| file write to a reader seeing it, median of 50 (max) | $(val visible_median_ms) ms ($(val visible_max_ms) ms) |"
} >>"$OUT"

cat "$OUT"
