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
                "timing: {phase:<14} {:>8.1} ms",
                (now - self.last).as_secs_f64() * 1e3
            );
        }
        self.last = now;
    }
}

impl Default for Timer {
    fn default() -> Self {
        Timer::new()
    }
}
