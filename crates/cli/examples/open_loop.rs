//! An open-loop HTTP load generator for the benchmarks: requests are sent
//! at a fixed rate whatever the server's speed, and each latency is
//! measured from the moment its request was *due*, so a slow server's
//! queue shows in the percentiles (no coordinated omission, unlike wrk).
//!
//! Usage: open_loop URL RATE SECONDS [HEADER]...
//!   e.g. open_loop http://127.0.0.1:18181/api/v1/notes/count 500 20 "Authorization: Bearer …"
//!        open_loop --mix FILE BASE_URL RATE SECONDS [HEADER]...
//! A mix file has one request per line, `WEIGHT METHOD PATH [BODY]` (BODY,
//! the rest of the line, is sent as JSON); `#` starts a comment. Requests
//! are drawn in proportion to their weights, in a fixed shuffled order.
//! Prints the achieved rate, non-2xx answers and latency percentiles, for
//! the whole run and (with a mix) for each line.

use rand::seq::SliceRandom;
use rand::SeedableRng;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// Connections kept open: enough that a due request never waits for one
/// unless the server is saturated.
const CONNECTIONS: usize = 64;

/// One kind of request of the load: what the per-line report names, and
/// the bytes sent.
struct Request {
    label: String,
    wire: String,
}

#[tokio::main(flavor = "multi_thread", worker_threads = 1)]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let usage = "usage: open_loop URL RATE SECONDS [HEADER]...\n       open_loop --mix FILE BASE_URL RATE SECONDS [HEADER]...";
    // (lines of the mix as (weight, method, path, body), base URL, rest of the args)
    let (mix, base, rest) = if args.get(1).map(String::as_str) == Some("--mix") {
        let file = args.get(2).ok_or_else(|| anyhow::anyhow!(usage))?;
        let text = std::fs::read_to_string(file)
            .map_err(|e| anyhow::anyhow!("cannot read the mix {file}: {e}"))?;
        let base = args.get(3).ok_or_else(|| anyhow::anyhow!(usage))?;
        (
            parse_mix(&text)?,
            base.trim_end_matches('/').to_string(),
            &args[4..],
        )
    } else {
        let url = args.get(1).ok_or_else(|| anyhow::anyhow!(usage))?;
        let rest = url
            .strip_prefix("http://")
            .ok_or_else(|| anyhow::anyhow!("only http:// URLs"))?;
        let at = rest.find('/').unwrap_or(rest.len());
        let path = if at == rest.len() { "/" } else { &rest[at..] };
        (
            vec![(1, "GET".to_string(), path.to_string(), None)],
            format!("http://{}", &rest[..at]),
            &args[2..],
        )
    };
    let (Some(rate), Some(secs)) = (
        rest.first().and_then(|r| r.parse::<f64>().ok()),
        rest.get(1).and_then(|s| s.parse::<f64>().ok()),
    ) else {
        anyhow::bail!(usage);
    };
    let headers = &rest[2..];
    let host = base
        .strip_prefix("http://")
        .ok_or_else(|| anyhow::anyhow!("only http:// URLs"))?
        .to_string();
    let requests: Vec<Request> = mix
        .iter()
        .map(|(_, method, path, body)| {
            let mut wire = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\n");
            for h in headers {
                wire.push_str(h);
                wire.push_str("\r\n");
            }
            if let Some(body) = body {
                wire.push_str(&format!(
                    "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                    body.len()
                ));
            } else {
                wire.push_str("\r\n");
            }
            Request {
                label: format!("{method} {path}"),
                wire,
            }
        })
        .collect();
    // The order requests are drawn in: each line as often as its weight,
    // shuffled with a fixed seed so runs compare.
    let mut order: Vec<usize> = mix
        .iter()
        .enumerate()
        .flat_map(|(i, (w, ..))| std::iter::repeat_n(i, *w))
        .collect();
    order.shuffle(&mut rand::rngs::StdRng::seed_from_u64(11));
    let requests = std::sync::Arc::new(requests);
    let total = (rate * secs) as usize;
    let (tx, rx) = async_channel(total);
    let mut workers = Vec::new();
    for _ in 0..CONNECTIONS {
        let rx = rx.clone();
        let host = host.clone();
        let requests = requests.clone();
        workers.push(tokio::spawn(async move {
            let mut out = Vec::new();
            let mut conn: Option<BufReader<TcpStream>> = None;
            while let Ok((due, which)) = rx.recv().await {
                let status = match one(&mut conn, &host, &requests[which].wire).await {
                    Ok(s) => s,
                    Err(_) => {
                        conn = None;
                        0
                    }
                };
                out.push((due.elapsed(), status, which));
            }
            out
        }));
    }
    drop(rx);
    let start = Instant::now();
    for i in 0..total {
        let due = start + Duration::from_secs_f64(i as f64 / rate);
        tokio::time::sleep_until(due.into()).await;
        tx.send((due, order[i % order.len()])).await.ok();
    }
    drop(tx);
    let mut results = Vec::with_capacity(total);
    for w in workers {
        results.extend(w.await?);
    }
    let elapsed = start.elapsed().as_secs_f64();
    let all: Vec<(Duration, u16)> = results.iter().map(|(d, s, _)| (*d, *s)).collect();
    let summary = summarise(all);
    println!(
        "{} requests in {elapsed:.1}s ({:.0}/s asked {rate:.0}/s), non-2xx {}; latency ms {}",
        results.len(),
        results.len() as f64 / elapsed,
        summary.bad,
        summary.percentiles
    );
    if requests.len() > 1 {
        for (i, r) in requests.iter().enumerate() {
            let mine: Vec<(Duration, u16)> = results
                .iter()
                .filter(|(_, _, w)| *w == i)
                .map(|(d, s, _)| (*d, *s))
                .collect();
            let n = mine.len();
            let s = summarise(mine);
            println!(
                "  {n:>6} × {}: non-2xx {}; ms {}",
                r.label, s.bad, s.percentiles
            );
        }
    }
    Ok(())
}

/// Non-2xx answers and the latency percentiles of some results.
struct Summary {
    bad: usize,
    percentiles: String,
}

fn summarise(results: Vec<(Duration, u16)>) -> Summary {
    let bad = results
        .iter()
        .filter(|(_, s)| !(200..300).contains(s))
        .count();
    let mut lat: Vec<Duration> = results.into_iter().map(|(d, _)| d).collect();
    lat.sort();
    let pct = |p: f64| {
        lat.get(((lat.len() as f64 * p) as usize).min(lat.len().saturating_sub(1)))
            .map(|d| d.as_secs_f64() * 1_000.0)
            .unwrap_or(0.0)
    };
    Summary {
        bad,
        percentiles: format!(
            "p50 {:.2} p90 {:.2} p99 {:.2} p99.9 {:.2} max {:.2}",
            pct(0.50),
            pct(0.90),
            pct(0.99),
            pct(0.999),
            pct(1.0)
        ),
    }
}

/// The lines of a mix file: (weight, method, path, JSON body).
type MixLine = (usize, String, String, Option<String>);

fn parse_mix(text: &str) -> anyhow::Result<Vec<MixLine>> {
    let mut lines = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.splitn(4, ' ');
        let (Some(w), Some(method), Some(path)) = (parts.next(), parts.next(), parts.next()) else {
            anyhow::bail!("mix line {}: expected WEIGHT METHOD PATH [BODY]", n + 1);
        };
        let weight: usize = w.parse().map_err(|_| {
            anyhow::anyhow!("mix line {}: weight {w:?} is not a whole number", n + 1)
        })?;
        anyhow::ensure!(
            path.starts_with('/'),
            "mix line {}: the path must start with /",
            n + 1
        );
        lines.push((
            weight,
            method.to_string(),
            path.to_string(),
            parts.next().map(str::to_string),
        ));
    }
    anyhow::ensure!(
        lines.iter().any(|(w, ..)| *w > 0),
        "the mix holds no request with a weight above 0"
    );
    Ok(lines)
}

/// A bounded multi-consumer queue of due times (tokio's mpsc has one
/// consumer; a mutex around it makes many).
fn async_channel(n: usize) -> (tokio::sync::mpsc::Sender<Due>, std::sync::Arc<Consumer>) {
    let (tx, rx) = tokio::sync::mpsc::channel(n.max(1));
    (
        tx,
        std::sync::Arc::new(Consumer(tokio::sync::Mutex::new(rx))),
    )
}

/// When a request is due, and which request of the mix it is.
type Due = (Instant, usize);

struct Consumer(tokio::sync::Mutex<tokio::sync::mpsc::Receiver<Due>>);

impl Consumer {
    async fn recv(&self) -> Result<Due, ()> {
        self.0.lock().await.recv().await.ok_or(())
    }
}

/// Sends one request on the connection (opening it if needed) and reads
/// the whole response; returns its status.
async fn one(
    conn: &mut Option<BufReader<TcpStream>>,
    host: &str,
    request: &str,
) -> anyhow::Result<u16> {
    if conn.is_none() {
        let s = TcpStream::connect(host).await?;
        s.set_nodelay(true)?;
        *conn = Some(BufReader::new(s));
    }
    let c = conn
        .as_mut()
        .ok_or_else(|| anyhow::anyhow!("no connection"))?;
    c.get_mut().write_all(request.as_bytes()).await?;
    let mut line = String::new();
    c.read_line(&mut line).await?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| anyhow::anyhow!("bad status line {line:?}"))?;
    let mut length: Option<usize> = None;
    let mut chunked = false;
    loop {
        line.clear();
        c.read_line(&mut line).await?;
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        let lower = l.to_ascii_lowercase();
        if let Some(v) = lower.strip_prefix("content-length:") {
            length = v.trim().parse().ok();
        }
        if lower.starts_with("transfer-encoding:") && lower.contains("chunked") {
            chunked = true;
        }
    }
    if chunked {
        loop {
            line.clear();
            c.read_line(&mut line).await?;
            let size = usize::from_str_radix(line.trim(), 16)?;
            let mut buf = vec![0u8; size + 2];
            c.read_exact(&mut buf).await?;
            if size == 0 {
                break;
            }
        }
    } else {
        let mut buf = vec![0u8; length.unwrap_or(0)];
        c.read_exact(&mut buf).await?;
    }
    Ok(status)
}
