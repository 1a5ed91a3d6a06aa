//! Phase timings for profiling: `PLAYBOOK_TIMINGS=1 playbook build` prints how
//! long each stage took, so optimisation starts from a measurement.

use std::time::Instant;

pub struct Timer {
    last: Instant,
    on: bool,
}

impl Timer {
    pub fn new() -> Timer {
        Timer {
            last: Instant::now(),
            on: std::env::var_os("PLAYBOOK_TIMINGS").is_some(),
        }
    }

    /// Prints the time since the previous mark, when timings are on.
    pub fn mark(&mut self, phase: &str) {
        let now = Instant::now();
        if self.on {
            eprintln!(
                "timing: {phase:<14} {:>8.1} ms {:>6} MiB resident",
                (now - self.last).as_secs_f64() * 1e3,
                resident_mib()
            );
        }
        self.last = now;
    }
}

/// Resident memory now, from /proc (0 where there is none): memory first
/// touched costs a page fault and a zeroed page, a large share of a build.
fn resident_mib() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    pages * 4096 / (1024 * 1024)
}

impl Default for Timer {
    fn default() -> Self {
        Timer::new()
    }
}
