//! An open-loop HTTP load generator for the benchmarks: requests are sent
//! at a fixed rate whatever the server's speed, and each latency is
//! measured from the moment its request was *due*, so a slow server's
//! queue shows in the percentiles (no coordinated omission, unlike wrk).
//!
//! Usage: open_loop URL RATE SECONDS [HEADER]...
//!   e.g. open_loop http://127.0.0.1:18181/api/v1/notes/count 500 20 "Authorization: Bearer …"
//! Prints the achieved rate, non-2xx answers and latency percentiles.

use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// Connections kept open: enough that a due request never waits for one
/// unless the server is saturated.
const CONNECTIONS: usize = 64;

#[tokio::main(flavor = "multi_thread", worker_threads = 1)]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(url), Some(rate), Some(secs)) = (
        args.get(1),
        args.get(2).and_then(|r| r.parse::<f64>().ok()),
        args.get(3).and_then(|s| s.parse::<f64>().ok()),
    ) else {
        anyhow::bail!("usage: open_loop URL RATE SECONDS [HEADER]...");
    };
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| anyhow::anyhow!("only http:// URLs"))?;
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let path = if path.is_empty() { "/" } else { path };
    let mut request = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\n");
    for h in &args[4..] {
        request.push_str(h);
        request.push_str("\r\n");
    }
    request.push_str("\r\n");
    let total = (rate * secs) as usize;
    let (tx, rx) = async_channel(total);
    let mut workers = Vec::new();
    for _ in 0..CONNECTIONS {
        let rx = rx.clone();
        let host = host.to_string();
        let request = request.clone();
        workers.push(tokio::spawn(async move {
            let mut out = Vec::new();
            let mut conn: Option<BufReader<TcpStream>> = None;
            while let Ok(due) = rx.recv().await {
                let status = match one(&mut conn, &host, &request).await {
                    Ok(s) => s,
                    Err(_) => {
                        conn = None;
                        0
                    }
                };
                out.push((due.elapsed(), status));
            }
            out
        }));
    }
    drop(rx);
    let start = Instant::now();
    for i in 0..total {
        let due = start + Duration::from_secs_f64(i as f64 / rate);
        tokio::time::sleep_until(due.into()).await;
        tx.send(due).await.ok();
    }
    drop(tx);
    let mut results = Vec::with_capacity(total);
    for w in workers {
        results.extend(w.await?);
    }
    let elapsed = start.elapsed().as_secs_f64();
    let bad = results
        .iter()
        .filter(|(_, s)| !(200..300).contains(s))
        .count();
    let mut lat: Vec<Duration> = results.iter().map(|(d, _)| *d).collect();
    lat.sort();
    let pct = |p: f64| {
        lat.get(((lat.len() as f64 * p) as usize).min(lat.len().saturating_sub(1)))
            .map(|d| d.as_secs_f64() * 1_000.0)
            .unwrap_or(0.0)
    };
    println!(
        "{} requests in {elapsed:.1}s ({:.0}/s asked {rate:.0}/s), non-2xx {bad}; latency ms p50 {:.2} p90 {:.2} p99 {:.2} p99.9 {:.2} max {:.2}",
        results.len(),
        results.len() as f64 / elapsed,
        pct(0.50),
        pct(0.90),
        pct(0.99),
        pct(0.999),
        pct(1.0),
    );
    Ok(())
}

/// A bounded multi-consumer queue of due times (tokio's mpsc has one
/// consumer; a mutex around it makes many).
fn async_channel(n: usize) -> (tokio::sync::mpsc::Sender<Instant>, std::sync::Arc<Consumer>) {
    let (tx, rx) = tokio::sync::mpsc::channel(n.max(1));
    (
        tx,
        std::sync::Arc::new(Consumer(tokio::sync::Mutex::new(rx))),
    )
}

struct Consumer(tokio::sync::Mutex<tokio::sync::mpsc::Receiver<Instant>>);

impl Consumer {
    async fn recv(&self) -> Result<Instant, ()> {
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
