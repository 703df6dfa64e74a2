//! The load generator: a few clients that send slow `/fib` requests, one
//! after the other each, while one more asks `/health` every few milliseconds.
//!
//! It must leave the cores to the server it measures, so it does as little
//! as it can: its threads spend their time waiting for answers, and the
//! answer `/fib` must give is worked out the quick way, once, before the load.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering::Relaxed};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use benchmark_kit::percentile;
use nix::sys::resource::{UsageWho, getrusage};
use nix::sys::time::TimeVal;

/// Longer than any request should take: a server that hangs is an error, not a stuck run.
const TIMEOUT: Duration = Duration::from_secs(120);

// ANCHOR: load
/// The load: `requests` requests for `/fib/{n}` in all, from `clients`
/// clients at once, each sending its next one when its last is answered.
pub struct Load {
    pub n: u32,
    pub clients: u32,
    pub requests: u32,
    pub health_every: Duration,
}

/// What one run of the load saw.
#[derive(Default)]
pub struct Tally {
    pub answered: u32,
    pub busy: u32, // 503: the server said it had too much to do
    pub errors: u32,
    pub health_ms: Vec<f64>,
    pub seconds: f64,
    pub cpu_seconds: f64, // this program's own, all threads together
}

/// fib(n) the quick way, to check the answers. The server's slow way, run
/// here as answers arrive, would take the cores from the server measured.
fn fib(n: u32) -> u64 {
    (0..n).fold((0, 1), |(a, b), _| (b, a + b)).0
}

impl Load {
    /// Runs the load against the server at `base` (`http://127.0.0.1:PORT`).
    pub fn run(&self, base: &str) -> Result<Tally> {
        get(&agent(), &format!("{base}/health"), |_| true)
            .context("no /health answer")?;
        let (sent, done) = (AtomicU32::new(0), AtomicBool::new(false));
        let (started, cpu) = (Instant::now(), cpu_seconds()?);
        let mut tally = thread::scope(|scope| {
            let client = || self.client(base, &sent);
            let clients: Vec<_> =
                (0..self.clients).map(|_| scope.spawn(client)).collect();
            let prober = scope.spawn(|| self.prober(base, &done));
            let mut tally = Tally::default();
            for client in clients {
                tally.add(client.join().unwrap());
            }
            done.store(true, Relaxed); // every /fib is answered: /health stops
            tally.add(prober.join().unwrap());
            tally
        });
        tally.seconds = started.elapsed().as_secs_f64();
        tally.cpu_seconds = cpu_seconds()? - cpu;
        Ok(tally)
    }

    /// One client: the next slow request, until they have all been sent.
    fn client(&self, base: &str, sent: &AtomicU32) -> Tally {
        let (agent, url, mut tally) =
            (agent(), format!("{base}/fib/{}", self.n), Tally::default());
        let expected = fib(self.n);
        let is_fib = |body: &str| {
            let answer = serde_json::from_str::<serde_json::Value>(body);
            answer.is_ok_and(|answer| answer["fib"] == expected)
        };
        while sent.fetch_add(1, Relaxed) < self.requests {
            tally.count(get(&agent, &url, is_fib));
        }
        tally
    }

    /// `/health`, again and again, until `done`, and how long each took.
    fn prober(&self, base: &str, done: &AtomicBool) -> Tally {
        let (agent, url, mut tally) =
            (agent(), format!("{base}/health"), Tally::default());
        loop {
            let asked = Instant::now();
            match get(&agent, &url, |body| body.contains("\"ok\"")) {
                Ok(true) => tally.health_ms.push(asked.elapsed().as_secs_f64() * 1e3),
                other => tally.count(other),
            }
            if done.load(Relaxed) {
                return tally;
            }
            thread::sleep(self.health_every);
        }
    }
}
// ANCHOR_END: load

/// The table's columns, from a tally: each a name, and its unit when it is
/// not milliseconds.
pub const COLUMNS: [(&str, Option<&str>); 6] = [
    ("/fib answered", Some("per s")),
    ("/health p50", None),
    ("/health p99", None),
    ("503 busy", Some("")),
    ("errors", Some("")),
    ("client CPU", Some("% of a core")),
];

impl Tally {
    /// A figure for each of the [`COLUMNS`].
    pub fn figures(&self) -> Result<Vec<f64>> {
        let latency =
            |percent| percentile(&self.health_ms, percent).context("no /health answer");
        let per_second = |count: u32| f64::from(count) / self.seconds;
        let (busy, errors) = (self.busy.into(), self.errors.into());
        let cpu = 100.0 * self.cpu_seconds / self.seconds;
        Ok(vec![per_second(self.answered), latency(50)?, latency(99)?, busy, errors, cpu])
    }

    /// Counts one request's outcome.
    fn count(&mut self, outcome: Result<bool>) {
        match outcome {
            Ok(true) => self.answered += 1,
            Ok(false) => self.busy += 1,
            Err(_) => self.errors += 1,
        }
    }

    fn add(&mut self, other: Tally) {
        self.answered += other.answered;
        self.busy += other.busy;
        self.errors += other.errors;
        self.health_ms.extend(other.health_ms);
    }
}

/// An HTTP client with a connection of its own, that reads every status.
fn agent() -> ureq::Agent {
    let config = ureq::Agent::config_builder().http_status_as_error(false);
    config.timeout_global(Some(TIMEOUT)).build().into()
}

/// One request: `Ok(true)` for a 200 whose body passes `check`, `Ok(false)`
/// for a 503, an error for anything else.
fn get(agent: &ureq::Agent, url: &str, check: impl Fn(&str) -> bool) -> Result<bool> {
    let mut response = agent.get(url).call()?;
    let body = response.body_mut().read_to_string()?;
    match response.status().as_u16() {
        503 => Ok(false),
        200 if check(&body) => Ok(true),
        status => bail!("{url}: {status} {body}"),
    }
}

/// The CPU time this program has used so far, all its threads together.
fn cpu_seconds() -> Result<f64> {
    let usage = getrusage(UsageWho::RUSAGE_SELF)?;
    let seconds = |time: TimeVal| time.tv_sec() as f64 + time.tv_usec() as f64 / 1e6;
    Ok(seconds(usage.user_time()) + seconds(usage.system_time()))
}
