//! The load benchmark binary. It replaces its own process environment at startup with the
//! scenario's variables plus `--extra-vars N` unrelated ones (default 10), then:
//!
//! - `load check`: loads the fixture once with every contestant, and each scale struct with each
//!   of its contestants, and compares the canonical JSON dumps; exits non-zero on any difference;
//! - `load dump WHO`: prints a fixture contestant's canonical JSON dump (secrets in clear);
//! - `load run WHO ITERS`: performs ITERS full loads (run under callgrind by `run.sh`, which
//!   differences two ITERS to get instructions per load);
//! - `load time WHO`: wall-clock median of single loads, in nanoseconds;
//! - `load allocs WHO`: allocations (and reallocations) per load, by a counting allocator;
//! - `load live`: `Live::get` read cost, 1- and 2-thread throughput, write-to-visible latency.
//!
//! WHO is a fixture contestant (`hand`, `ours`, `figment`, `config`, `confique`, `hand-getenv`,
//! `ours-exact`), a list contestant `list:WHO:N` (WHO `ours` or `hand`, a list of N = 10, 100,
//! 1000 settings structs), a scale
//! contestant `scale:WHO:FIELDS` (WHO one of `ours`, `hand`, `figment`; FIELDS 10, 100, 1000), or
//! `live-get` (with `run`: ITERS reads of `Live::get`), `live-reader` (ITERS reads of
//! `LiveReader::get`) and `plain-ref` (ITERS reads through a plain reference, the floor).

use settings_bench::{
    fixture_env, fixture_file, load_canonical, load_once, scale, set_process_env, OursSettings,
    CONTESTANTS,
};
use settings_core::Settings as _;
use std::hint::black_box;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Counts allocations (`load allocs WHO`): the system allocator, with a counter of calls.
struct Counting;

static ALLOCATIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; the counter has no effect
// on the memory handed out.
unsafe impl std::alloc::GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        unsafe { std::alloc::System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        unsafe { std::alloc::System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        unsafe { std::alloc::System.realloc(ptr, layout, new) }
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// Allocations (and reallocations) per load, over 100 loads after 10 unmeasured ones.
fn allocs(who: &str, extra: usize) -> Result<(), String> {
    let load = prepare(who, extra)?;
    for _ in 0..10 {
        load()?;
    }
    let before = ALLOCATIONS.load(std::sync::atomic::Ordering::Relaxed);
    for _ in 0..100 {
        load()?;
    }
    let after = ALLOCATIONS.load(std::sync::atomic::Ordering::Relaxed);
    println!("allocs_per_load={:.1}", (after - before) as f64 / 100.0);
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut extra = 10usize;
    let mut pos = Vec::new();
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        if a == "--extra-vars" {
            extra = it
                .next()
                .and_then(|n| n.parse().ok())
                .expect("--extra-vars N");
        } else {
            pos.push(a);
        }
    }
    let pos: Vec<&str> = pos.iter().map(String::as_str).collect();
    let result = match pos.as_slice() {
        ["check"] => check(extra),
        ["dump", who] => {
            set_process_env(&fixture_env(), extra);
            load_canonical(who).map(|d| println!("{d}"))
        }
        ["run", who, iters] => run(who, iters.parse().expect("ITERS"), extra),
        ["time", who] => time(who, extra),
        ["live"] => live(extra),
        ["allocs", who] => allocs(who, extra),
        _ => Err(
            "usage: load check | dump WHO | run WHO ITERS | time WHO | allocs WHO | live  [--extra-vars N]"
                .to_owned(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `scale:WHO:FIELDS` as (WHO, FIELDS).
fn scale_target(who: &str) -> Option<(&str, usize)> {
    let rest = who.strip_prefix("scale:")?;
    let (who, n) = rest.split_once(':')?;
    Some((who, n.parse().ok()?))
}

/// Sets the environment for `who` and returns one load of it.
fn prepare(who: &str, extra: usize) -> Result<Box<dyn Fn() -> Result<(), String>>, String> {
    if let Some((w, n)) = who.strip_prefix("list:").and_then(|r| r.split_once(':')) {
        let n: usize = n.parse().map_err(|_| format!("not a size: {n}"))?;
        set_process_env(&settings_bench::lists::env(), extra);
        let w = w.to_owned();
        return Ok(Box::new(move || {
            settings_bench::lists::load(&w, n, false).map(drop)
        }));
    }
    if let Some((w, n)) = scale_target(who) {
        set_process_env(&scale::env(), extra);
        let w = w.to_owned();
        return Ok(Box::new(move || scale::load(&w, n, false).map(drop)));
    }
    if !CONTESTANTS.contains(&who) {
        return Err(format!("unknown contestant {who:?}"));
    }
    set_process_env(&fixture_env(), extra);
    let who = who.to_owned();
    Ok(Box::new(move || load_once(&who)))
}

fn check(extra: usize) -> Result<(), String> {
    set_process_env(&fixture_env(), extra);
    let reference = load_canonical("hand")?;
    let mut failed = false;
    for who in CONTESTANTS {
        let dump = load_canonical(who).map_err(|e| format!("{who}: {e}"))?;
        if dump == reference {
            println!("check {who:<9} same values as hand");
        } else {
            failed = true;
            println!("check {who:<9} DIFFERS from hand:\n{dump}\n--- hand:\n{reference}");
        }
    }
    set_process_env(&scale::env(), extra);
    for n in scale::SIZES {
        let reference = scale::load("hand", n, true)?.expect("dump");
        for who in scale::contestants(n).iter().filter(|w| **w != "hand") {
            let dump = scale::load(who, n, true)
                .map_err(|e| format!("scale {who} {n}: {e}"))?
                .expect("dump");
            if dump == reference {
                println!("check scale:{who}:{n} same values as hand");
            } else {
                failed = true;
                println!(
                    "check scale:{who}:{n} DIFFERS from hand:\n{dump}\n--- hand:\n{reference}"
                );
            }
        }
    }
    set_process_env(&settings_bench::lists::env(), extra);
    for n in settings_bench::lists::SIZES {
        let reference = settings_bench::lists::load("hand", n, true)?.expect("dump");
        let dump = settings_bench::lists::load("ours", n, true)
            .map_err(|e| format!("list ours {n}: {e}"))?
            .expect("dump");
        if dump == reference {
            println!("check list:ours:{n} same values as hand");
        } else {
            failed = true;
            println!("check list:ours:{n} DIFFERS from hand:\n{dump}\n--- hand:\n{reference}");
        }
    }
    if failed {
        Err("the contestants do not produce the same values".to_owned())
    } else {
        Ok(())
    }
}

fn run(who: &str, iters: u64, extra: usize) -> Result<(), String> {
    if who == "live-get" {
        set_process_env(&fixture_env(), extra);
        let live = OursSettings::loader()
            .file(fixture_file())
            .watch()
            .map_err(|e| e.to_string())?;
        for _ in 0..iters {
            black_box(black_box(&live).get().server.port);
        }
        return Ok(());
    }
    if who == "live-reader" {
        set_process_env(&fixture_env(), extra);
        let live = OursSettings::loader()
            .file(fixture_file())
            .watch()
            .map_err(|e| e.to_string())?;
        let mut reader = live.reader();
        for _ in 0..iters {
            black_box(black_box(&mut reader).get().server.port);
        }
        return Ok(());
    }
    if who == "plain-ref" {
        // The floor `LiveReader::get` is compared with: a field read through a reference.
        set_process_env(&fixture_env(), extra);
        let settings = OursSettings::loader()
            .file(fixture_file())
            .load()
            .map_err(|e| e.to_string())?;
        let settings = &settings;
        for _ in 0..iters {
            black_box(black_box(settings).server.port);
        }
        return Ok(());
    }
    let load = prepare(who, extra)?;
    for _ in 0..iters {
        load()?;
    }
    Ok(())
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn time(who: &str, extra: usize) -> Result<(), String> {
    let load = prepare(who, extra)?;
    for _ in 0..10 {
        load()?;
    }
    // Single loads for about a second (at least 21, at most 5,000); the median of their times.
    let budget = Duration::from_millis(1000);
    let start = Instant::now();
    let mut samples = Vec::new();
    while samples.len() < 21 || (start.elapsed() < budget && samples.len() < 5000) {
        let t = Instant::now();
        load()?;
        samples.push(t.elapsed().as_nanos() as f64);
    }
    println!(
        "median_ns={:.0} samples={}",
        median(&mut samples),
        samples.len()
    );
    Ok(())
}

/// Nanoseconds this thread has spent on a CPU (Linux `schedstat`), to tell a contended machine
/// from contention inside `get()`.
fn thread_cpu_ns() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

fn live(extra: usize) -> Result<(), String> {
    set_process_env(&fixture_env(), extra);
    // Reads: on the fixture as loaded.
    let live = OursSettings::loader()
        .file(fixture_file())
        .watch()
        .map_err(|e| e.to_string())?;
    const READS: u64 = 10_000_000;
    // (wall seconds, on-CPU seconds of this thread) for READS reads.
    let reads = |live: &settings_core::Live<OursSettings>| {
        let (t, c) = (Instant::now(), thread_cpu_ns());
        for _ in 0..READS {
            black_box(black_box(live).get().server.port);
        }
        let cpu = thread_cpu_ns().zip(c).map(|(b, a)| (b - a) as f64 / 1e9);
        (t.elapsed().as_secs_f64(), cpu)
    };
    reads(&live);
    let (mut one, mut two, mut one_cpu, mut two_cpu) = (vec![], vec![], vec![], vec![]);
    for _ in 0..5 {
        let (wall, cpu) = reads(&live);
        one.push(READS as f64 / wall);
        one_cpu.extend(cpu.map(|c| READS as f64 / c));
        let t = Instant::now();
        let per_thread: Vec<_> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..2).map(|_| s.spawn(|| reads(&live))).collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        two.push(2.0 * READS as f64 / t.elapsed().as_secs_f64());
        if per_thread.iter().all(|(_, c)| c.is_some()) {
            two_cpu.push(
                per_thread
                    .iter()
                    .map(|(_, c)| READS as f64 / c.unwrap())
                    .sum(),
            );
        }
    }
    let best = |v: &[f64]| v.iter().copied().fold(0.0, f64::max);
    println!("get_ns={:.2}", 1e9 / median(&mut one.clone()));
    // `LiveReader::get`, and a field read through a plain reference, the same way.
    let mut reader = live.reader();
    let snapshot = live.snapshot();
    let (mut by_reader, mut by_ref) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        let t = Instant::now();
        for _ in 0..READS {
            black_box(black_box(&mut reader).get().server.port);
        }
        by_reader.push(t.elapsed().as_nanos() as f64 / READS as f64);
        let plain: &OursSettings = &snapshot;
        let t = Instant::now();
        for _ in 0..READS {
            black_box(black_box(plain).server.port);
        }
        by_ref.push(t.elapsed().as_nanos() as f64 / READS as f64);
    }
    println!("reader_get_ns={:.2}", median(&mut by_reader));
    println!("ref_ns={:.2}", median(&mut by_ref));
    println!("reads_per_sec_1={:.0}", best(&one));
    println!("reads_per_sec_2={:.0}", best(&two));
    println!("ratio_2_to_1={:.2}", best(&two) / best(&one));
    if !one_cpu.is_empty() && !two_cpu.is_empty() {
        println!(
            "ratio_2_to_1_cpu={:.2}",
            median(&mut two_cpu) / median(&mut one_cpu)
        );
    }

    // Write-to-visible: a copy of the fixture in a temporary directory, default watch settings.
    let dir = std::env::temp_dir().join(format!("settings-bench-live-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let file = dir.join("settings.toml");
    let text = std::fs::read_to_string(fixture_file()).map_err(|e| e.to_string())?;
    let with_timeout = |n: u64| {
        text.replace(
            "request_timeout_secs = 30",
            &format!("request_timeout_secs = {n}"),
        )
    };
    std::fs::write(&file, with_timeout(30)).map_err(|e| e.to_string())?;
    let live = OursSettings::loader()
        .file(&file)
        .watch()
        .map_err(|e| e.to_string())?;
    let (tx, rx) = std::sync::mpsc::channel::<(u64, Instant)>();
    let reader = {
        let live = live.clone();
        std::thread::spawn(move || {
            let mut last = 30;
            while last != 0 {
                let now = live.get().server.request_timeout_secs;
                if now != last {
                    last = now;
                    if tx.send((now, Instant::now())).is_err() {
                        break;
                    }
                } else {
                    std::thread::sleep(Duration::from_micros(50));
                }
            }
        })
    };
    let mut latencies = Vec::new();
    for n in 1..=50u64 {
        let value = 1000 + n;
        let t0 = Instant::now();
        std::fs::write(&file, with_timeout(value)).map_err(|e| e.to_string())?;
        loop {
            let (seen, at) = rx
                .recv_timeout(Duration::from_secs(10))
                .map_err(|_| format!("write {n} not seen within 10 s"))?;
            if seen == value {
                latencies.push(at.duration_since(t0).as_secs_f64() * 1e3);
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    std::fs::write(&file, with_timeout(0)).map_err(|e| e.to_string())?;
    reader.join().map_err(|_| "reader panicked".to_owned())?;
    let _ = std::fs::remove_dir_all(&dir);
    let mut sorted = latencies.clone();
    sorted.sort_by(f64::total_cmp);
    println!("visible_median_ms={:.1}", median(&mut latencies));
    println!("visible_max_ms={:.1}", sorted[sorted.len() - 1]);
    Ok(())
}
