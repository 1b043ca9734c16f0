//! Requests served, for `/api/v1/metrics` (issue 20): a count per method,
//! route and status, and a latency histogram per method and route. Routes
//! are the router's patterns (`/api/v1/notes/{id}`), never the paths asked
//! for, so the series stay as many as the routes; a path that matches no
//! route counts as `unmatched`.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;

/// Upper bounds of the latency buckets, in seconds (Prometheus' `le`).
pub const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

#[derive(Debug, Default, Clone)]
struct Latency {
    /// Requests at or under each bound of [`BUCKETS`].
    at_most: [u64; BUCKETS.len()],
    count: u64,
    sum_seconds: f64,
}

#[derive(Debug, Default)]
struct Series {
    /// (method, route, status) → requests.
    requests: BTreeMap<(String, String, u16), u64>,
    /// (method, route) → latencies.
    latency: BTreeMap<(String, String), Latency>,
}

/// The node's request counters (one per process, shared by every request).
#[derive(Debug, Default)]
pub struct HttpMetrics {
    series: Mutex<Series>,
}

/// A label value as the text format wants it.
pub fn label(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

impl HttpMetrics {
    /// Counts one request answered with `status` after `seconds`.
    pub fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let Ok(mut s) = self.series.lock() else {
            return;
        };
        *s.requests
            .entry((method.to_string(), route.to_string(), status))
            .or_default() += 1;
        let l = s
            .latency
            .entry((method.to_string(), route.to_string()))
            .or_default();
        l.count += 1;
        l.sum_seconds += seconds;
        for (i, bound) in BUCKETS.iter().enumerate() {
            if seconds <= *bound {
                l.at_most[i] += 1;
            }
        }
    }

    /// The counters in the Prometheus text format (0.0.4).
    pub fn prometheus_text(&self) -> String {
        let mut out = String::new();
        let Ok(s) = self.series.lock() else {
            return out;
        };
        let _ = writeln!(
            out,
            "# HELP coalesce_http_requests_total Requests answered, by method, route and status.\n# TYPE coalesce_http_requests_total counter"
        );
        for ((method, route, status), n) in &s.requests {
            let _ = writeln!(
                out,
                "coalesce_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{status}\"}} {n}",
                label(method),
                label(route)
            );
        }
        let _ = writeln!(
            out,
            "# HELP coalesce_http_request_duration_seconds Time to answer, by method and route.\n# TYPE coalesce_http_request_duration_seconds histogram"
        );
        for ((method, route), l) in &s.latency {
            let labels = format!("method=\"{}\",route=\"{}\"", label(method), label(route));
            for (bound, n) in BUCKETS.iter().zip(l.at_most) {
                let _ = writeln!(
                    out,
                    "coalesce_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {n}"
                );
            }
            let _ = writeln!(
                out,
                "coalesce_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}\ncoalesce_http_request_duration_seconds_sum{{{labels}}} {}\ncoalesce_http_request_duration_seconds_count{{{labels}}} {}",
                l.count, l.sum_seconds, l.count
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_cumulative_and_labels_escaped() {
        let m = HttpMetrics::default();
        m.observe("GET", "/api/v1/notes", 200, 0.003);
        m.observe("GET", "/api/v1/notes", 200, 0.2);
        m.observe("GET", "/api/v1/notes", 404, 20.0);
        m.observe("POST", "a\"b", 201, 0.0001);
        let t = m.prometheus_text();
        assert!(t.contains(
            "coalesce_http_requests_total{method=\"GET\",route=\"/api/v1/notes\",status=\"200\"} 2"
        ));
        assert!(t.contains("status=\"404\"} 1"));
        let bucket = |le: &str| {
            format!("coalesce_http_request_duration_seconds_bucket{{method=\"GET\",route=\"/api/v1/notes\",le=\"{le}\"}}")
        };
        assert!(t.contains(&format!("{} 0", bucket("0.001"))), "{t}");
        assert!(t.contains(&format!("{} 1", bucket("0.005"))), "{t}");
        assert!(t.contains(&format!("{} 2", bucket("0.25"))), "{t}");
        assert!(t.contains(&format!("{} 2", bucket("10"))), "{t}");
        assert!(t.contains(&format!("{} 3", bucket("+Inf"))), "{t}");
        assert!(t.contains("route=\"a\\\"b\""), "{t}");
    }
}
